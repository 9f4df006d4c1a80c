"""The address sign-in throttling counts failures against: the person's, not the council proxy's."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def client_address(request: HttpRequest) -> str | None:
    """The connecting address, or with TRUSTED_PROXY_COUNT proxies in front, the one they vouch for.

    Each proxy appends the address that connected to it to X-Forwarded-For, so the client is the
    TRUSTED_PROXY_COUNT-th entry from the right. Whatever stands to its left was written by the
    client and is ignored: trusting it would let one attacker spread guesses over made-up
    addresses, or lock a victim out from theirs.

    django-axes calls this for every sign-in (AXES_CLIENT_IP_CALLABLE). django-ipware parses the
    header (ports, IPv6 brackets, IPv4-mapped addresses); it is asked about that one header only,
    because given several headers it prefers a public address in any of them over the
    connecting one, so a council client with a private address behind a public proxy would get
    the proxy's. A header too short for the chain, or unreadable, falls back to the connecting
    address: axes would make a missing address one key shared by everyone.
    """
    connecting = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return connecting
    # ipware's proxy_count is the number of entries to the right of the client's (the proxies
    # after the first one), and strict=False accepts headers longer than that: the extra entries
    # on the left are the client's own writing, which is exactly what must not matter.
    address, _routable = get_client_ip(
        request, proxy_count=proxies - 1, request_header_order=(FORWARDED_FOR,), strict=False
    )
    return address or connecting
