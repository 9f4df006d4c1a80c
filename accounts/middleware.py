"""Pages shown to a signed-in person are kept out of shared and browser caches."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PRIVATE_NO_STORE = "private, no-store"


class PrivateNoStoreMiddleware:
    """Adds `Cache-Control: private, no-store` to every answer to a signed-in request.

    Signed-in pages carry ratings and narratives that may not be published yet, and a draft
    report's downloads change as officers write: a proxy must never hand them to someone else,
    and a shared computer's browser must not keep them after sign-out. A response that already
    says how it may be cached keeps its own header: that view decided (a published report's
    download, for instance). Static files never reach here: WhiteNoise answers them first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = PRIVATE_NO_STORE
        return response
