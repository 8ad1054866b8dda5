"""Apply resource limits, drop to an unprivileged user, then become the kernel.

Run as a script, not imported: ``python -I -S confine.py SPEC -- COMMAND...``
where ``SPEC`` is JSON ``{"limits": {"RLIMIT_CPU": [soft, hard], ...},
"uid": int or null, "gid": int or null}``. It sets each limit, drops every
group and switches to ``uid``/``gid`` when they are given (the grader does so
when it runs as root), forbids gaining privileges again (Linux
``no_new_privs``), and replaces itself with ``COMMAND``. It imports only the
standard library, so that nothing from the project or a submission runs with
the grader's privileges.
"""

import ctypes
import json
import os
import resource
import sys

_PR_SET_NO_NEW_PRIVS = 38


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        sys.exit("usage: confine.py SPEC -- COMMAND...")
    spec = json.loads(argv[1])
    for name, (soft, hard) in spec["limits"].items():
        resource.setrlimit(getattr(resource, name), (soft, hard))
    if spec.get("uid") is not None:
        os.setgroups([])
        os.setresgid(spec["gid"], spec["gid"], spec["gid"])
        os.setresuid(spec["uid"], spec["uid"], spec["uid"])
        if os.getuid() == 0 or os.geteuid() == 0:
            sys.exit("confine.py: could not drop root privileges")
    _no_new_privileges()
    os.umask(0o077)
    os.execv(argv[3], argv[3:])


def _no_new_privileges():
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        sys.exit("confine.py: prctl(PR_SET_NO_NEW_PRIVS) failed")


if __name__ == "__main__":
    main(sys.argv)
