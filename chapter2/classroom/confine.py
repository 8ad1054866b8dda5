"""Apply resource limits, drop to an unprivileged user, then become the kernel.

Run as a script, not imported: ``python -I -S confine.py SPEC -- COMMAND...``
where ``SPEC`` is JSON ``{"limits": {"RLIMIT_CPU": [soft, hard], ...},
"uid": int or null, "gid": int or null}``. It sets each limit, drops every
group and switches to ``uid``/``gid`` when they are given (the grader does so
when it runs as root), forbids gaining privileges again (Linux
``no_new_privs``), refuses new user namespaces (a seccomp filter: inside one,
a tmpfs could hold memory outside every limit), and replaces itself with
``COMMAND``. It imports only the
standard library, so that nothing from the project or a submission runs with
the grader's privileges.
"""

import ctypes
import json
import os
import platform
import resource
import struct
import sys

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 22, 2
_CLONE_NEWUSER = 0x10000000
_EPERM, _ENOSYS = 1, 38
#: Per machine: the audit architecture, then the numbers of unshare, clone, clone3 and setns.
_SYSCALLS = {"x86_64": (0xC000003E, 272, 56, 435, 308), "aarch64": (0xC00000B7, 97, 220, 435, 268)}


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
    _no_user_namespaces()
    os.umask(0o077)
    os.execv(argv[3], argv[3:])


def _no_new_privileges():
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        sys.exit("confine.py: prctl(PR_SET_NO_NEW_PRIVS) failed")


def _no_user_namespaces():
    """Install a seccomp filter: no new user namespace, by unshare, clone or setns.

    clone3 passes its flags in memory a filter cannot read, so it fails with
    ENOSYS and the C library falls back to clone, which is checked. A
    system call of another architecture (32-bit code) is refused.
    """
    known = _SYSCALLS.get(platform.machine())
    if not sys.platform.startswith("linux") or known is None:
        return  # documented: elsewhere bubblewrap's --disable-userns is the only guard
    program = _filter(*known)
    code = b"".join(struct.pack("HBBI", *op) for op in program)
    buffer = ctypes.create_string_buffer(code, len(code))
    fprog = struct.pack("HL", len(program), ctypes.addressof(buffer))  # struct sock_fprog
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.c_char_p(fprog), 0, 0) != 0:
        sys.exit("confine.py: prctl(PR_SET_SECCOMP) failed")


def _filter(arch, unshare, clone, clone3, setns):
    """The classic BPF program (code, jump if true, jump if false, k) of the filter."""
    load, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    allow, eperm, enosys = 0x7FFF0000, 0x00050000 | _EPERM, 0x00050000 | _ENOSYS
    return [(load, 0, 0, 4),                    # 0: architecture
            (jeq, 1, 0, arch),                  # 1: ours -> 3
            (ret, 0, 0, eperm),                 # 2
            (load, 0, 0, 0),                    # 3: system call number
            (jge, 8, 0, 0x40000000),            # 4: x32 numbers -> 13 (refuse)
            (jeq, 8, 0, clone3),                # 5: -> 14 (ENOSYS)
            (jeq, 6, 0, setns),                 # 6: -> 13 (refuse)
            (jeq, 2, 0, unshare),               # 7: -> 10 (check its flags)
            (jeq, 1, 0, clone),                 # 8: -> 10
            (ret, 0, 0, allow),                 # 9
            (load, 0, 0, 16),                   # 10: first argument (flags), low 32 bits
            (jset, 1, 0, _CLONE_NEWUSER),       # 11: a new user namespace -> 13
            (ret, 0, 0, allow),                 # 12
            (ret, 0, 0, eperm),                 # 13
            (ret, 0, 0, enosys)]                # 14


if __name__ == "__main__":
    main(sys.argv)
