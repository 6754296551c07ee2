"""The client address (proxy-aware) and the one limiter of public look-ups and submissions."""

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory

from gongkai.core import throttle
from gongkai.core.context import client_ip
from gongkai.core.models import ThrottleHit

RATE = throttle.Rate(scope="test.rate", limit=3, window=dt.timedelta(hours=1), message="slow")


def request(**meta):
    return RequestFactory().get("/", **meta)


# --- client_ip ----------------------------------------------------------------------------


def test_the_header_is_ignored_unless_the_proxy_is_trusted(settings):
    settings.GONGKAI_TRUST_X_FORWARDED_FOR = False
    assert client_ip(request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")) == (
        "10.0.0.2"
    )


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.99, 203.0.113.5", "203.0.113.5"),  # the first entry is the client's own
        (2, "198.51.100.99, 203.0.113.5, 10.1.1.1", "203.0.113.5"),  # CDN then load balancer
        (2, "203.0.113.5", "203.0.113.5"),  # fewer entries than proxies: the farthest
        (1, "not-an-address", "10.0.0.2"),  # garbage: the proxy's own address
        (1, "", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_client_is_that_many_hops_from_the_right(
    settings, proxies, forwarded, expected
):
    settings.GONGKAI_TRUST_X_FORWARDED_FOR = True
    settings.GONGKAI_TRUSTED_PROXIES = proxies
    assert client_ip(request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)) == expected


def test_no_address_at_all(settings):
    assert client_ip(request(REMOTE_ADDR="")) is None


# --- the limiter --------------------------------------------------------------------------


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


@pytest.mark.django_db
def test_limit_per_address_in_a_sliding_window(clock):
    for _ in range(RATE.limit):
        throttle.throttle_check(rate=RATE, ip="192.0.2.1")
        throttle.throttle_hit(rate=RATE, ip="192.0.2.1")
        clock.shift(dt.timedelta(minutes=10))
    with pytest.raises(throttle.RateLimited) as refused:
        throttle.throttle_check(rate=RATE, ip="192.0.2.1")
    assert refused.value.code == "rate_limited"
    throttle.throttle_check(rate=RATE, ip="192.0.2.2")  # another address has its own quota
    clock.shift(dt.timedelta(minutes=31))  # the first hit is now over an hour old
    throttle.throttle_check(rate=RATE, ip="192.0.2.1")


@pytest.mark.django_db
def test_scopes_are_counted_apart_and_old_hits_are_forgotten(clock):
    other = throttle.Rate(scope="test.other", limit=1, window=dt.timedelta(hours=1), message="")
    throttle.throttle_hit(rate=other, ip="192.0.2.1")
    throttle.throttle_check(rate=RATE, ip="192.0.2.1")
    clock.shift(dt.timedelta(hours=2))
    throttle.throttle_hit(rate=other, ip="192.0.2.1")
    assert ThrottleHit.objects.filter(scope="test.other").count() == 1
    # Addresses are kept only as keyed hashes.
    assert "192.0.2.1" not in ThrottleHit.objects.get().client
