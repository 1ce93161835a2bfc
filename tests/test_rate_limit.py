"""channels/rate_limit.py: the token buckets of the widget's socket.io channel."""
import pytest

from channels.rate_limit import TokenBuckets


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_burst_then_the_steady_rate():
    clock = Clock()
    buckets = TokenBuckets(capacity=3, per_second=0.5, clock=clock)
    assert [buckets.allow("a") for _ in range(4)] == [True, True, True, False]
    clock.now += 1.9  # not yet a whole token back
    assert buckets.allow("a") is False
    clock.now += 0.1
    assert buckets.allow("a") is True and buckets.allow("a") is False
    clock.now += 3600  # refills to the capacity, not beyond
    assert [buckets.allow("a") for _ in range(4)] == [True, True, True, False]


def test_keys_are_independent_and_forget_starts_afresh():
    buckets = TokenBuckets(capacity=1, per_second=0.01, clock=Clock())
    assert buckets.allow("a") and not buckets.allow("a")
    assert buckets.allow("b")
    buckets.forget("a")
    assert buckets.allow("a")


def test_the_stalest_key_is_dropped_when_there_are_too_many():
    clock = Clock()
    buckets = TokenBuckets(capacity=1, per_second=0.001, clock=clock, max_keys=2)
    for key in ("a", "b", "c"):
        clock.now += 1
        assert buckets.allow(key)
    assert len(buckets) == 2
    assert buckets.allow("a")  # "a" was dropped, so it starts full again
    assert not buckets.allow("c")  # "c" was kept


@pytest.mark.parametrize("capacity, rate", [(0, 1), (1, 0), (1, -1)])
def test_nonsense_limits_are_refused(capacity, rate):
    with pytest.raises(ValueError):
        TokenBuckets(capacity=capacity, per_second=rate)
