"""The data-only format between the grader and a learner's kernel: exact types, and nothing else."""

import json

import numpy as np
import pytest

from graders.fastgrade.kernel_stub import WireError, decode, encode, make_rng, rebuild_error


def _no_refs(tag, payload):
    raise WireError(f"no references here: {tag}")


def round_trip(value):
    return decode(json.loads(json.dumps(encode(value, _refuse))), _no_refs)


def _refuse(obj):
    raise TypeError(f"not plain: {type(obj).__name__}")


@pytest.mark.parametrize("value", [
    None, True, 3, -2**70, 0.1, float("inf"), "text", [1, 2.5, "x"], (1, (2.0, None)), {"a": 1, 2: (3,)},
    complex(1, -2), np.float64(0.5), np.float32(0.25), np.int64(7), np.bool_(True),
    np.arange(6, dtype=np.int32).reshape(2, 3), np.linspace(0, 1, 5), np.array([True, False]),
    np.empty((0, 5)), np.array(["a", "bc"]), np.array([1 + 2j]),
])
def test_plain_values_keep_their_exact_type_and_value(value):
    back = round_trip(value)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)
        assert back.flags.writeable
    else:
        assert back == value or (back != back and value != value)


def test_nan_survives():
    assert np.isnan(round_trip(float("nan")))


@pytest.mark.parametrize("value", [object(), np.array([object()]), {1, 2}, len, np.random.default_rng(0)])
def test_anything_else_becomes_a_reference(value):
    stashed = []
    encode([value], lambda obj: stashed.append(obj) or {"__object__": 0})
    assert stashed == [value]


def test_ndarray_subclasses_cross_as_their_data_only():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return True

    back = round_trip(np.zeros(3).view(Liar))
    assert type(back) is np.ndarray and not np.array_equal(back, np.ones(3))


def test_namedtuples_cross_as_plain_tuples():
    """The contract accepts any tuple (SciPy's ConfidenceInterval included); it arrives as a tuple."""
    import scipy.stats

    interval = scipy.stats.ttest_rel([1.0, 2.0, 4.0], [1.5, 1.0, 2.0]).confidence_interval()
    back = round_trip(interval)
    assert type(back) is tuple and back == (interval.low, interval.high)


@pytest.mark.parametrize("message", [
    {"__ndarray__": "|O", "shape": [1], "data": ""},
    {"__ndarray__": "<f8", "shape": [2], "data": "AAAAAAAAAAA="},
    {"__ndarray__": "<f8", "shape": [-1], "data": ""},
    {"__ndarray__": "[('a', '<f8')]", "shape": [0], "data": ""},
    {"__complex__": ["x", 1]},
    {"__tuple__": 5},
    {"__dict__": [[[1], 2]]},
    {"unknown": 1},
    {},
])
def test_malformed_messages_are_rejected_with_a_wire_error(message):
    with pytest.raises((WireError, TypeError)):
        decode(message, _no_refs)


def test_deep_nesting_is_rejected_both_ways():
    deep = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(WireError):
        encode(deep, _refuse)
    with pytest.raises(WireError):
        decode(json.loads(json.dumps(deep)), _no_refs)


def test_random_generators_cross_by_state():
    rng = np.random.default_rng(42)
    rng.normal(size=3)
    copy = make_rng({"state": rng.bit_generator.state})
    assert copy.normal() == rng.normal()
    with pytest.raises(WireError):
        make_rng({"state": {"bit_generator": "os.system"}})


def test_errors_rebuild_as_ordinary_exceptions_never_as_exit_or_interrupt():
    assert type(rebuild_error({"types": ["ValueError", "Exception"], "message": "bad"})) is ValueError
    assert isinstance(rebuild_error({"types": ["NotImplementedError"], "message": ""}), NotImplementedError)
    custom = rebuild_error({"types": ["LinAlgError", "ValueError", "Exception"], "message": "singular"})
    assert isinstance(custom, ValueError) and type(custom).__name__ == "LinAlgError"
    for name in ("SystemExit", "KeyboardInterrupt", "GeneratorExit"):
        error = rebuild_error({"types": [name, "BaseException", "object"], "message": ""})
        assert isinstance(error, Exception) and type(error).__name__ == name
