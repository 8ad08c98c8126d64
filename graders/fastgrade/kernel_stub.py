"""The grader's side of the sandboxed kernel, and the data-only format both sides speak.

Safe grading never runs a hidden check inside the learner's kernel.  The
trusted grader process runs the check and calls the learner's function
remotely: each call is sent to the kernel as plain data, this module's
:class:`Runtime` (installed in the kernel) runs it and answers with plain data
again.  Nothing is ever unpickled on the grader's side: :func:`encode` and
:func:`decode` only know numbers, strings, lists, tuples, dicts and numeric
arrays.  Anything else crosses as a *reference*: an object that stays on its
side and is used through further calls.

This file must run on both sides, so it imports only the standard library and
NumPy; the grader sends its source text to the kernel.
"""

import base64
import builtins
import contextlib
import io
import json
import warnings

import numpy as np

MAX_DEPTH = 32
_PLAIN_KINDS = "biufcU"  # bool, integers, floats, complex, text; never objects
_RNG_KINDS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class WireError(ValueError):
    """A message that is not in the data-only format."""


def encode(value, stash, depth=0):
    """``value`` as JSON-ready data; ``stash(obj)`` turns anything that is not plain data into a tag."""
    if depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply")
    if value is None or isinstance(value, bool | str) or type(value) in (int, float):
        return value
    if isinstance(value, complex):
        return {"__complex__": [value.real, value.imag]}
    if isinstance(value, np.ndarray) and value.dtype.kind in _PLAIN_KINDS and value.dtype.fields is None:
        array = np.ascontiguousarray(np.array(value, subok=False))
        return {"__ndarray__": array.dtype.str, "shape": list(array.shape),
                "data": base64.b64encode(array.tobytes()).decode()}
    if isinstance(value, np.generic) and value.dtype.kind in _PLAIN_KINDS:
        return {"__numpy__": value.dtype.str, "data": base64.b64encode(value.tobytes()).decode()}
    if type(value) is list or isinstance(value, tuple):  # a namedtuple crosses as a plain tuple
        items = [encode(item, stash, depth + 1) for item in value]
        return items if type(value) is list else {"__tuple__": items}
    if type(value) is dict:
        return {"__dict__": [[encode(k, stash, depth + 1), encode(v, stash, depth + 1)] for k, v in value.items()]}
    return stash(value)


def _array(dtype, shape, data):
    dtype = np.dtype(dtype)
    if dtype.kind not in _PLAIN_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise WireError(f"arrays of dtype {dtype} are not plain data")
    if not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape):
        raise WireError("an array's shape must be a list of non-negative integers")
    raw = base64.b64decode(data, validate=True)
    if len(raw) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
        raise WireError("an array's data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def decode(data, resolve, depth=0):
    """Inverse of :func:`encode`; ``resolve(tag, payload)`` handles reference tags or raises."""
    if depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply")
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [decode(item, resolve, depth + 1) for item in data]
    if not isinstance(data, dict) or len(data) == 0:
        raise WireError(f"unexpected {type(data).__name__} in a message")
    tag = next(iter(data))
    try:
        if tag == "__tuple__":
            return tuple(decode(item, resolve, depth + 1) for item in data[tag])
        if tag == "__dict__":
            return {decode(k, resolve, depth + 1): decode(v, resolve, depth + 1) for k, v in data[tag]}
        if tag == "__complex__":
            real, imag = data[tag]
            return complex(float(real), float(imag))
        if tag == "__ndarray__":
            return _array(data[tag], data["shape"], data["data"])
        if tag == "__numpy__":
            return _array(data[tag], [], data["data"])[()]
    except (KeyError, TypeError, ValueError) as exc:
        raise WireError(f"malformed {tag} value: {exc}") from None
    return resolve(tag, data)


def describe_error(exc):
    """An exception as data: its class names (most derived first) and a short message."""
    try:
        message = str(exc)[:2000]
    except Exception:  # a learner's exception whose __str__ itself fails
        message = ""
    return {"types": [cls.__name__ for cls in type(exc).__mro__][:12], "message": message}


def make_rng(payload):
    """A NumPy Generator in exactly the state ``payload["state"]`` describes."""
    state = payload["state"]
    kind = state.get("bit_generator") if isinstance(state, dict) else None
    if kind not in _RNG_KINDS:
        raise WireError(f"unsupported random generator {kind!r}")
    generator = np.random.Generator(getattr(np.random, kind)())
    generator.bit_generator.state = state
    return generator


class Callback:
    """In the kernel: an object that stays with the grader (a model, a gradient function), used remotely."""

    def __init__(self, runtime, ref, type_name):
        self._runtime, self._ref, self._type_name = runtime, ref, type_name

    def __call__(self, *args, **kwargs):
        return self._runtime.ask_grader({"op": "call", "ref": self._ref, "args": args, "kwargs": kwargs})

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._runtime.ask_grader({"op": "getattr", "ref": self._ref, "name": name})

    def __repr__(self):
        return f"<{self._type_name} provided by the grader>"


class Runtime:
    """In the kernel: fetches the grader's requests and returns the answers, over the stdin channel.

    The grader executes ``__mdsi_rpc__.serve(request)`` for a small request,
    or ``__mdsi_rpc__.serve()`` for a large one, which the kernel then fetches
    as an input request (prompt ``?``) so that it never passes through
    IPython's code transformers.  The answer travels back as the execute
    reply's payload; calls back to the grader are input requests prompted
    ``!``.
    """

    def __init__(self, shell):
        self.shell = shell
        self.objects = {}
        self.keys = {}  # id(object) -> key: the same object always gets the same reference

    def _stash(self, obj):
        key = self.keys.setdefault(id(obj), len(self.objects))
        self.objects[key] = obj
        return {"__object__": key, "type": type(obj).__name__}

    def _resolve(self, tag, payload, rngs):
        if tag == "__callback__":
            return Callback(self, payload[tag], payload.get("type", "object"))
        if tag == "__rng__":
            rngs[payload[tag]] = generator = make_rng(payload)
            return generator
        if tag == "__object__":
            return self.objects[payload[tag]]
        raise WireError(f"unknown tag {tag!r}")

    def serve(self, request=None):
        """Perform one request (fetched from the grader if not given) and hand back the answer."""
        answer = self.perform(self.shell.kernel.raw_input("?") if request is None else request)
        self.shell.payload_manager.write_payload({"source": "mdsi_grader", "answer": answer})

    def perform(self, request):
        """The JSON answer to one JSON request: call an object, or read one of its attributes."""
        rngs = {}
        try:
            request = json.loads(request)
            args = decode(request.get("args", []), lambda tag, p: self._resolve(tag, p, rngs))
            kwargs = decode(request.get("kwargs", {"__dict__": []}), lambda tag, p: self._resolve(tag, p, rngs))
            target = self.objects[request["object"]] if "object" in request else self._global(request["name"])
            with _quiet():
                if request["op"] == "getattr":
                    value = getattr(target, request["attribute"])
                else:
                    value = target(*args, **kwargs)
            states = {str(key): rng.bit_generator.state for key, rng in rngs.items()}
            return json.dumps({"value": encode(value, self._stash), "rngs": states})
        except BaseException as exc:  # the learner's code may raise anything, even SystemExit
            return json.dumps({"error": describe_error(exc)})

    def _global(self, name):
        try:
            return self.shell.user_ns[name]
        except KeyError:
            raise NameError(f"name {name!r} is not defined - run the cell that defines it") from None

    def ask_grader(self, request):
        """Call back to the grader and return its answer."""
        request = dict(request, args=encode(request.get("args", ()), _no_objects),
                       kwargs=encode(dict(request.get("kwargs", {})), _no_objects))
        answer = json.loads(self.shell.kernel.raw_input("!" + json.dumps(request)))
        if "error" in answer:
            raise rebuild_error(answer["error"])
        return decode(answer["value"], lambda tag, payload: self._resolve(tag, payload, {}))


def _no_objects(obj):
    raise TypeError(f"a {type(obj).__name__} cannot be passed to an object provided by the grader")


_DYNAMIC_ERRORS = {}


def rebuild_error(data):
    """An exception equivalent to one described by :func:`describe_error`, never a BaseException-only type."""
    names = [str(name) for name in data.get("types", [])] or ["Exception"]
    message = str(data.get("message", ""))[:2000]
    base = next((getattr(builtins, n) for n in names
                 if isinstance(getattr(builtins, n, None), type) and issubclass(getattr(builtins, n), Exception)),
                 Exception)
    if base.__name__ == names[0]:
        return base(message)
    key = (names[0], base)
    if key not in _DYNAMIC_ERRORS:
        _DYNAMIC_ERRORS[key] = type(names[0], (base,), {})
    return _DYNAMIC_ERRORS[key](message)


class _Discard(io.TextIOBase):
    """A text stream that forgets what is written (a print loop cannot fill the memory)."""

    def write(self, text):
        return len(text)


@contextlib.contextmanager
def _quiet():
    """Discard what the learner's function prints while the grader calls it."""
    sink = _Discard()
    with warnings.catch_warnings(), contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        warnings.simplefilter("ignore")
        yield
