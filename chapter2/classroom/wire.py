"""Plain data between the grader and a student's kernel: a codec that cannot run code.

The grader never trusts an object from a student's kernel: it asks the kernel
to call the student's function on inputs the grader made, and receives the
result as *data* in the format below, which only ever decodes to ``None``,
booleans, numbers, strings, numeric NumPy arrays and scalars, NumPy ufuncs,
lists, tuples, dicts with string keys, and :class:`Opaque` stand-ins for
anything else. There is no pickle: decoding builds those types and nothing
else, within a size budget, and refuses anything malformed with
:class:`WireError`.

A function travels by name (module and qualified name). Only the kernel,
inside the sandbox, turns such a name back into a function (the checks send
``np.sin`` or the chapter's ``cubic`` to a student's ``central_difference``).
The grader never does: a name is text the submission chose, and importing or
calling it would run code of the submission's choosing outside the sandbox
(``antigravity`` opens a browser, ``signal.pause`` hangs). In the grader a
function answer decodes to an :class:`Opaque` stand-in, which cannot be
called, so a check that calls it fails like any wrong answer.

The functions in the last section run *inside the student's kernel* (the
grader sends code that calls them). The kernel is untrusted, so they may have
been patched by the submission; that can only change the values the kernel
reports as the student's answers, never the verdict, which the grader
computes from those values against its own truth.

Examples
--------
>>> import numpy as np
>>> data = encode({"w": np.arange(3.0), "n": (1, None)})
>>> decode(data)["w"]
array([0., 1., 2.])
>>> decode(encode(float("nan")))
nan
>>> decode({"t": "function", "module": "antigravity", "qualname": "geohash"})  # never imported
<function antigravity.geohash>
"""

from __future__ import annotations

import base64
import builtins
import importlib
import json
import math
import sys
from typing import Any, Callable

import numpy as np

#: MIME type of the display message that carries a kernel's reply.
MIME = "text/x-chapter2-answer"
#: Largest encoded reply the grader reads (bytes of JSON).
MAX_REPLY_BYTES = 32 * 2 ** 20
_MAX_DEPTH = 20
_MAX_ITEMS = 100_000
_MAX_TEXT = 100_000
_NUMERIC_KINDS = "biufc"


class WireError(ValueError):
    """Encoded data is malformed, too large, or not of an allowed type."""


class Opaque:
    """Stands for a value that has no plain-data form (its type name and a short repr).

    Examples
    --------
    >>> Opaque("Widget", "<Widget>")
    <Widget>
    """

    def __init__(self, type_name: str, text: str) -> None:
        self.type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return self.text


# ------------------------------------------------------------------ encoding

def encode(value: Any) -> dict:
    """The plain-data form of ``value`` (JSON-serialisable), see the module docstring."""
    return _encode(value, 0)


def _encode(value: Any, depth: int) -> dict:
    if depth > _MAX_DEPTH:
        return _opaque(value)
    if value is None:
        return {"t": "none"}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "bool", "v": bool(value)}
    if isinstance(value, int):
        return {"t": "int", "v": str(int(value))} if abs(int(value)).bit_length() < 4000 else _opaque(value)
    if isinstance(value, float):
        return {"t": "float", "v": repr(float(value))}
    if isinstance(value, complex):
        return {"t": "complex", "re": repr(value.real), "im": repr(value.imag)}
    if isinstance(value, str):
        return {"t": "str", "v": str(value)[:_MAX_TEXT]}
    if isinstance(value, (np.ndarray, np.generic)):
        return _encode_array(value)
    if isinstance(value, (list, tuple)) and len(value) <= _MAX_ITEMS:
        kind = "tuple" if isinstance(value, tuple) else "list"
        return {"t": kind, "v": [_encode(v, depth + 1) for v in list(value)]}
    if isinstance(value, dict) and len(value) <= _MAX_ITEMS and all(isinstance(k, str) for k in value):
        return {"t": "dict", "v": [[str(k), _encode(v, depth + 1)] for k, v in dict(value).items()]}
    if isinstance(value, np.ufunc):
        return {"t": "ufunc", "name": value.__name__}
    if callable(value) and _importable_name(value):
        return {"t": "function", "module": value.__module__, "qualname": value.__qualname__}
    return _opaque(value)


def _encode_array(value: np.ndarray | np.generic) -> dict:
    array = np.asarray(value)
    if array.dtype.kind not in _NUMERIC_KINDS or array.dtype.hasobject:
        return _opaque(value)
    array = np.array(array, dtype=array.dtype.newbyteorder("<"), order="C")  # keeps 0-d arrays 0-d
    return {"t": "array" if isinstance(value, np.ndarray) else "scalar", "dtype": array.dtype.str,
            "shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode("ascii")}


def _importable_name(fn: Any) -> bool:
    module, qualname = getattr(fn, "__module__", None), getattr(fn, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
        return False
    return module in sys.modules and _resolve(module, qualname) is fn


def _opaque(value: Any) -> dict:
    try:
        text = repr(value)
    except Exception:  # a student's __repr__ may raise: describe the type instead
        text = ""
    name = type(value).__name__
    return {"t": "opaque", "type": str(name)[:100], "repr": text[:200] or f"<{name} object>"}


# ------------------------------------------------------------------ decoding

def decode(data: Any, functions: Callable[[str, str], Any] | None = None) -> Any:
    """Rebuild a value from :func:`encode`'s form, allowing only plain data types.

    Parameters
    ----------
    data : object
        The encoded form (parsed JSON).
    functions : callable, optional
        ``functions(module, qualname)`` turns a named function into a value.
        Only the kernel passes one (:func:`import_function`); without it, as
        in the grader, a function stays an inert :class:`Opaque`: decoding
        never imports or calls anything.

    Raises
    ------
    WireError
        If ``data`` is not exactly a form :func:`encode` writes.
    """
    return _decode(data, 0, functions)


def _decode(data: Any, depth: int, functions: Callable[[str, str], Any] | None) -> Any:
    if depth > _MAX_DEPTH + 1 or not isinstance(data, dict) or not isinstance(data.get("t"), str):
        raise WireError("malformed value")
    kind = data["t"]
    try:
        if kind == "none":
            return None
        if kind == "bool":
            return bool(_typed(data["v"], bool))
        if kind == "int":
            return int(_text(data["v"], 1300))
        if kind == "float":
            return float(_text(data["v"], 40))
        if kind == "complex":
            return complex(float(_text(data["re"], 40)), float(_text(data["im"], 40)))
        if kind == "str":
            return _text(data["v"], _MAX_TEXT)
        if kind in ("array", "scalar"):
            array = _decode_array(data)
            return array if kind == "array" else array[()]
        if kind in ("list", "tuple"):
            items = [_decode(v, depth + 1, functions) for v in _items(data["v"])]
            return items if kind == "list" else tuple(items)
        if kind == "dict":
            pairs = _items(data["v"])
            if not all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in pairs):
                raise WireError("malformed dict")
            return {k: _decode(v, depth + 1, functions) for k, v in pairs}
        if kind == "ufunc":
            fn = getattr(np, _text(data["name"], 100), None)
            if not isinstance(fn, np.ufunc):
                raise WireError("unknown ufunc")
            return fn
        if kind == "function":
            module, qualname = _text(data["module"], 200), _text(data["qualname"], 200)
            if functions is None:  # the grader: a name is never imported, the answer never called
                return Opaque("function", f"<function {module}.{qualname}>")
            return functions(module, qualname)
        if kind == "opaque":
            return Opaque(_text(data["type"], 100), _text(data["repr"], 200))
    except (KeyError, TypeError, OverflowError) as error:
        raise WireError(f"malformed {kind}: {type(error).__name__}") from None
    raise WireError(f"unknown kind {kind[:40]!r}")


def _decode_array(data: dict) -> np.ndarray:
    dtype = np.dtype(_text(data["dtype"], 10))
    if dtype.kind not in _NUMERIC_KINDS or dtype.hasobject or dtype.fields is not None:
        raise WireError(f"dtype {dtype} is not numeric")
    shape = data["shape"]
    if not isinstance(shape, list) or len(shape) > 32 or not all(
            isinstance(n, int) and not isinstance(n, bool) and 0 <= n for n in shape):
        raise WireError("malformed shape")
    raw = base64.b64decode(_text(data["data"], MAX_REPLY_BYTES), validate=True)
    if math.prod(shape) * dtype.itemsize != len(raw):
        raise WireError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(tuple(shape)).astype(dtype.newbyteorder("="))


def import_function(module: str, qualname: str) -> Any:
    """The function a name stands for, importing its module: for the kernel's side only."""
    if module not in sys.modules:
        importlib.import_module(module)  # an installed module the other side named
    fn = _resolve(module, qualname)
    if not callable(fn):
        raise WireError(f"{module}.{qualname} is not a function")
    return fn


def _resolve(module: str, qualname: str) -> Any:
    target: Any = sys.modules.get(module)
    for part in qualname.split("."):
        target = getattr(target, part, None)
    return target


def _typed(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise WireError(f"expected {kind.__name__}")
    return value


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise WireError("malformed text")
    return value


def _items(value: Any) -> list:
    if not isinstance(value, list) or len(value) > _MAX_ITEMS:
        raise WireError("malformed sequence")
    return value


def loads_reply(text: str) -> dict:
    """Parse one reply from a kernel: JSON of bounded size whose top level is a dict."""
    if not isinstance(text, str) or len(text) > MAX_REPLY_BYTES:
        raise WireError("reply missing or too large")
    try:
        reply = json.loads(text)
    except (ValueError, RecursionError):
        raise WireError("reply is not JSON") from None
    if not isinstance(reply, dict):
        raise WireError("reply is not an object")
    return reply


# ------------------------------------------------- run inside the student's kernel

def kernel_describe(names: list[str]) -> None:
    """Publish, for each name, whether the kernel holds it and whether it is callable."""
    namespace = _user_namespace()
    found = {}
    for name in names:
        if name not in namespace:
            found[name] = {"kind": "missing"}
        elif callable(namespace[name]):
            found[name] = {"kind": "callable"}
        else:
            found[name] = {"kind": "value", "value": encode(namespace[name])}
    _publish({"names": found})


def kernel_call(name: str, payload: str) -> None:
    """Call the student's ``name`` on the grader's arguments; publish its result or exception."""
    args = decode(json.loads(payload), functions=import_function)  # in the sandbox: may import
    function = _user_namespace()[name]
    try:
        result = function(*args)
    except KeyboardInterrupt:
        raise  # the grader's interrupt after a timeout: let the cell fail
    except BaseException as error:  # the student's error, reported as data
        _publish({"raised": _describe_error(error)})
        return
    _publish({"result": encode(result), "args_after": [encode(a) for a in args]})


def _describe_error(error: BaseException) -> dict:
    from ..exercises.feedback import student_line

    frame = student_line(error)
    where = None if frame is None else {"lineno": frame.lineno, "name": frame.name,
                                        "line": (frame.line or "")[:500]}
    try:
        message = str(error)
    except Exception:  # a student's __str__ may raise
        message = ""
    return {"type": type(error).__name__[:100], "message": message[:2000], "frame": where,
            "not_implemented": isinstance(error, NotImplementedError)}


def _user_namespace() -> dict:
    shell = getattr(builtins, "get_ipython", lambda: None)()
    return shell.user_ns if shell is not None else vars(sys.modules["__main__"])


def _publish(reply: dict) -> None:
    from IPython.display import display

    display({MIME: json.dumps(reply)}, raw=True)


__all__ = ["MIME", "Opaque", "WireError", "encode", "decode", "loads_reply",
           "kernel_describe", "kernel_call"]
