"""The trusted side of a remote call into the learner's kernel.

:class:`KernelBridge` lets the check engine call a learner's function that
lives in a sandboxed kernel as if it were local: ``bridge.lookup(name)`` is a
:class:`RemoteObject` whose calls travel as plain data (see
:mod:`graders.fastgrade.kernel_stub`).  The learner's code never sees the
expected values, the reference or the checks; it only sees the inputs it is
called with, and what it returns is only ever read as data.
"""

import functools
import json
import time
import types
from pathlib import Path

import numpy as np
import zmq
from jupyter_client.blocking import BlockingKernelClient

from graders.fastgrade import kernel_stub
from graders.fastgrade.kernel_stub import WireError, decode, describe_error, encode, rebuild_error

MAX_ANSWER_CHARS = 64_000_000
MAX_CALLBACK_CHARS = 4_000_000  # one call from the learner's code to an object of the grader
# Runs in a namespace of its own, so that none of its names clobber the learner's.
_INSTALL = "exec({!r}, {{'__name__': 'mdsi_grader'}})".format(
    Path(kernel_stub.__file__).read_text()
    + "\nfrom IPython import get_ipython\nget_ipython().user_ns['__mdsi_rpc__'] = Runtime(get_ipython())\n")
INLINE_REQUEST_CHARS = 4096  # larger requests are fetched by the kernel, not compiled as code
_UNREADABLE = ("the grader could not read your function's result (the notebook's code interfered "
               "with the grader, or the result is too large)")


class GradingTimeout(Exception):
    """The learner's code did not return within the time allowed."""


class KernelGone(Exception):
    """The learner's kernel stopped (it crashed, exited or was killed for using too much)."""


class RemoteObject:
    """A learner's object that stays in the kernel: calling it or reading an attribute is a remote call."""

    def __init__(self, bridge, request):
        self._bridge, self._request = bridge, request

    def __call__(self, *args, **kwargs):
        return self._bridge.request(dict(self._request, op="call"), args, kwargs)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._bridge.request(dict(self._request, op="getattr", attribute=name), (), {})


_REMOTE_TYPES = {}


def _remote_type(name):
    """A RemoteObject subclass named like the learner's class, so feedback says "returned a Foo"."""
    name = name if name.isidentifier() else "object"
    if name not in _REMOTE_TYPES:
        _REMOTE_TYPES[name] = type(name, (RemoteObject,), {})
    return _REMOTE_TYPES[name]


class KernelBridge:
    """Remote calls into one running kernel; :meth:`allow` sets how long the next ones may take."""

    def __init__(self, kernel_manager):
        self.process = kernel_manager.provisioner.process
        self.client = BlockingKernelClient()
        self.client.load_connection_info(kernel_manager.get_connection_info())
        self.client.start_channels(shell=True, iopub=False, stdin=True, hb=False, control=False)
        self.poller = zmq.Poller()
        self.poller.register(self.client.shell_channel.socket, zmq.POLLIN)
        self.poller.register(self.client.stdin_channel.socket, zmq.POLLIN)
        self.deadline, self.seconds = None, None
        self.attributes = frozenset()
        self.callbacks, self.methods, self.remotes, self.rngs = [], {}, {}, {}
        self.failure = None
        self.installed = False

    def close(self):
        self.client.stop_channels()

    def allow(self, seconds, attributes=frozenset()):
        """Let the calls from now on take ``seconds`` in all (one graded test cell's budget).

        ``attributes`` are the only attributes and methods the learner's code
        may use on objects the check passes in (``Exercise.callbacks``).
        """
        self.deadline, self.seconds = time.monotonic() + seconds, seconds
        self.attributes = frozenset(attributes)

    def lookup(self, name):
        """The learner's global ``name`` (a function or a class), as a remote object."""
        return _remote_type(name)(self, {"name": name})

    # -- calls into the kernel ------------------------------------------------
    def request(self, request, args, kwargs):
        """Perform ``request`` on the kernel with ``args``/``kwargs``; return the decoded value or raise."""
        if self.failure is not None:
            raise self.failure
        if not self.installed:
            self._execute(_INSTALL, None)
            self.installed = True
        self.rngs = {}
        text = json.dumps(dict(request, args=encode(list(args), self._stash), kwargs=encode(dict(kwargs), self._stash)))
        inline = len(text) <= INLINE_REQUEST_CHARS
        reply = self._execute(f"__mdsi_rpc__.serve({text!r})" if inline else "__mdsi_rpc__.serve()", text)
        payloads = reply["content"].get("payload") or []
        answer = self._answer(next((p.get("answer") for p in payloads if p.get("source") == "mdsi_grader"), None))
        if "error" in answer:
            raise rebuild_error(answer["error"])
        for key, state in (answer.get("rngs") or {}).items():
            self._restore_rng(key, state)
        return decode(answer["value"], self._resolve)

    @staticmethod
    def _answer(text):
        if not isinstance(text, str) or len(text) > MAX_ANSWER_CHARS:
            raise WireError(_UNREADABLE)
        try:
            answer = json.loads(text)
        except (ValueError, RecursionError):
            raise WireError(_UNREADABLE) from None
        if not isinstance(answer, dict) or not ("value" in answer or "error" in answer):
            raise WireError(_UNREADABLE)
        return answer

    def _restore_rng(self, key, state):
        generator = self.rngs.get(key)
        if generator is not None:
            generator.bit_generator.state = kernel_stub.make_rng({"state": state}).bit_generator.state

    def _stash(self, obj):
        """A tag for an object the check passes in: generators cross by state, the rest stays here."""
        if isinstance(obj, np.random.Generator):
            key = str(len(self.rngs))
            self.rngs[key] = obj
            return {"__rng__": key, "state": obj.bit_generator.state}
        self.callbacks.append((obj, True))
        return {"__callback__": len(self.callbacks) - 1, "type": type(obj).__name__}

    def _method(self, ref, name, method):
        """A callback for one allowed method of callback ``ref`` (made once, then reused)."""
        if (ref, name) not in self.methods:
            self.callbacks.append((method, False))
            self.methods[ref, name] = {"__callback__": len(self.callbacks) - 1, "type": name}
        return self.methods[ref, name]

    def _resolve(self, tag, payload):
        if tag == "__object__" and type(payload[tag]) is int:
            key = payload[tag]
            if key not in self.remotes:
                self.remotes[key] = _remote_type(str(payload.get("type", "object")))(self, {"object": key})
            return self.remotes[key]
        raise WireError(f"unexpected {tag} in your function's result")

    # -- the kernel's calls back to the grader --------------------------------
    def _serve_callback(self, text):
        """Serve a call from the learner's code on an object of the grader, within the check's allow-list.

        Only the attributes the exercise declares can be read (a method comes
        back as a callable reference, data as plain data), a call takes and
        returns plain data only, and a request is at most
        ``MAX_CALLBACK_CHARS`` long: no walking into the grader's objects.
        """
        try:
            if len(text) > MAX_CALLBACK_CHARS:
                raise ValueError(f"a call to the grader's objects is limited to {MAX_CALLBACK_CHARS} characters")
            request = json.loads(text)
            ref = request["ref"]
            target, has_attributes = self.callbacks[ref] if type(ref) is int and 0 <= ref < len(self.callbacks) \
                else (None, False)
            if request["op"] == "getattr":
                name = request["name"]
                if not has_attributes or not isinstance(name, str) or name not in self.attributes:
                    allowed = ", ".join(sorted(self.attributes)) or "none"
                    raise AttributeError(f"{name!r} of an object provided by the grader is not available "
                                         f"here (available: {allowed})")
                value = getattr(target, name)
                data = self._method(ref, name, value) if callable(value) else encode(value, _not_plain)
            else:
                if not callable(target) or has_attributes and not _is_function(target):
                    raise TypeError("this object provided by the grader cannot be called")
                value = target(*decode(request["args"], _plain_only), **decode(request["kwargs"], _plain_only))
                data = encode(value, _not_plain)
            return json.dumps({"value": data})
        except Exception as exc:  # reported to the learner's code as the exception it caused
            return json.dumps({"error": describe_error(exc)})

    # -- messaging ------------------------------------------------------------
    def _execute(self, code, request):
        """Run ``code`` silently, feeding it ``request`` if it asks (``?``); return the execute reply."""
        msg_id = self.client.execute(code, silent=True, store_history=False, allow_stdin=True)
        while True:
            if time.monotonic() > self.deadline:
                self._give_up(GradingTimeout(f"did not finish within {self.seconds:g} s"))
            if self.process.poll() is not None:
                self._give_up(KernelGone("the kernel stopped while your code ran (it crashed, exited, "
                                         "or used more memory or CPU time than allowed)"))
            ready = dict(self.poller.poll(100))
            if self.client.stdin_channel.socket in ready:
                prompt = self.client.get_stdin_msg(timeout=0)["content"].get("prompt", "")
                if prompt == "?":
                    self.client.input(request or "")
                else:
                    self.client.input(self._serve_callback(prompt[1:]))
            if self.client.shell_channel.socket in ready:
                message = self.client.get_shell_msg(timeout=0)
                if message["parent_header"].get("msg_id") == msg_id:
                    return message

    def _give_up(self, failure):
        """Stop the kernel's current work and fail this and every later call with ``failure``."""
        self.failure = failure
        self.process.kill()
        raise failure


def _plain_only(tag, payload):
    raise WireError(f"{tag} values cannot be passed to the grader's objects")


def _not_plain(obj):
    raise WireError(f"the grader's object produced a {type(obj).__name__}, which is not plain data")


def _is_function(obj):
    """True for the plain functions a check passes in (a gradient, a true curve), which may be called."""
    return isinstance(obj, types.FunctionType | types.BuiltinFunctionType | np.ufunc | functools.partial)
