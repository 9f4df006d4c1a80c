"""Five wrong passwords lock out the guesser's address, not everyone behind the council's proxy.

Every request here is a real sign-in POST; the addresses are what the server would see: the
connecting address (REMOTE_ADDR) and the X-Forwarded-For header as it arrives.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.client_address import client_address

PASSWORD = "the-right-password-1"
ATTACKER = "5.6.7.8"
VICTIM = "198.51.100.7"
PROXY = "10.0.0.1"


@pytest.fixture
def throttled(settings, make_user):
    settings.AXES_ENABLED = True
    make_user(username="shared.account", password=PASSWORD)
    return settings


def sign_in(password: str, *, remote_addr: str, forwarded_for: str | None = None, client=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return (client or Client()).post(
        reverse("login"), {"username": "shared.account", "password": password}, **extra
    )


def guess_until_locked(throttled, **addresses):
    answers = [sign_in("wrong", **addresses).status_code for _ in range(throttled.AXES_FAILURE_LIMIT)]
    # The last allowed failure is answered with the lockout page already.
    assert answers == [200] * (throttled.AXES_FAILURE_LIMIT - 1) + [429]


def recorded_addresses() -> set:
    return set(AccessAttempt.objects.values_list("ip_address", flat=True))


# --------------------------------------------------------------------------- no proxy (the default)


def test_without_a_proxy_a_forged_header_does_not_spread_guesses_over_made_up_addresses(throttled):
    throttled.TRUSTED_PROXY_COUNT = 0
    for number in range(throttled.AXES_FAILURE_LIMIT):
        sign_in("wrong", remote_addr=ATTACKER, forwarded_for=f"1.2.3.{number}")
    response = sign_in(PASSWORD, remote_addr=ATTACKER, forwarded_for="1.2.3.4")
    assert response.status_code == 429
    assert recorded_addresses() == {ATTACKER}


def test_without_a_proxy_a_forged_header_cannot_lock_out_the_address_it_names(throttled):
    throttled.TRUSTED_PROXY_COUNT = 0
    guess_until_locked(throttled, remote_addr=ATTACKER, forwarded_for=VICTIM)
    assert sign_in(PASSWORD, remote_addr=VICTIM).status_code == 302
    assert sign_in(PASSWORD, remote_addr=ATTACKER).status_code == 429


# --------------------------------------------------------------------------- behind one proxy


def test_behind_one_proxy_the_guesser_is_locked_out_and_everyone_else_still_signs_in(throttled):
    throttled.TRUSTED_PROXY_COUNT = 1
    # The attacker wrote "1.2.3.4"; the proxy appended the address the attacker connected from.
    guess_until_locked(throttled, remote_addr=PROXY, forwarded_for=f"1.2.3.4, {ATTACKER}")
    assert recorded_addresses() == {ATTACKER}

    # Whatever the attacker writes next, the proxy's entry gives them away.
    assert sign_in(PASSWORD, remote_addr=PROXY, forwarded_for=f"9.9.9.9, {ATTACKER}").status_code == 429
    assert sign_in(PASSWORD, remote_addr=PROXY, forwarded_for=ATTACKER).status_code == 429
    # Everyone else comes through the same proxy and is not locked out with them.
    assert sign_in(PASSWORD, remote_addr=PROXY, forwarded_for=VICTIM).status_code == 302


def test_behind_one_proxy_naming_the_victim_first_does_not_lock_the_victim_out(throttled):
    throttled.TRUSTED_PROXY_COUNT = 1
    guess_until_locked(throttled, remote_addr=PROXY, forwarded_for=f"{VICTIM}, {ATTACKER}")
    assert sign_in(PASSWORD, remote_addr=PROXY, forwarded_for=VICTIM).status_code == 302


def test_behind_one_proxy_a_request_without_the_header_counts_against_the_connecting_address(throttled):
    throttled.TRUSTED_PROXY_COUNT = 1
    guess_until_locked(throttled, remote_addr="203.0.113.50")
    assert recorded_addresses() == {"203.0.113.50"}  # never one "unknown" key shared by all
    assert sign_in(PASSWORD, remote_addr=PROXY, forwarded_for=VICTIM).status_code == 302


# --------------------------------------------------------------------------- the address itself


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "client"),
    [
        (0, "203.0.113.9", "1.2.3.4", "203.0.113.9"),
        (0, "203.0.113.9", None, "203.0.113.9"),
        (1, PROXY, "1.2.3.4, 5.6.7.8", "5.6.7.8"),
        (1, PROXY, "5.6.7.8", "5.6.7.8"),
        (1, PROXY, "1.2.3.4,5.6.7.8:4711", "5.6.7.8"),
        (1, PROXY, "2001:db8::1, [2a00:1450:4009:81f::200e]:443", "2a00:1450:4009:81f::200e"),
        # A council officer on the internal network keeps their own private address.
        (1, "81.2.69.160", "192.168.4.20", "192.168.4.20"),
        # Not a chain our proxy could have built: the connecting address, never none.
        (1, PROXY, "unknown", PROXY),
        (1, PROXY, "", PROXY),
        (1, PROXY, None, PROXY),
        (2, "10.0.0.2", "1.2.3.4, 5.6.7.8, 10.0.0.9", "5.6.7.8"),
        (2, "10.0.0.2", "5.6.7.8", "10.0.0.2"),
    ],
)
def test_client_address_counts_proxies_from_the_right(settings, proxies, remote_addr, forwarded_for, client):
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_address(RequestFactory().post("/account/sign-in/", **extra)) == client
