"""Refusals: exceptions carrying the sentence a person reads, and the one place a refusal becomes a 403."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied


class Refusal(Exception):
    """A refused action. `str(error)` is the sentence shown to the person who asked."""

    default_message = "That could not be done."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class Forbidden(Refusal):
    """Who is asking may not do this (their role or ownership): answered with 403 and the sentence."""

    default_message = "You do not have permission to do that."


def refusals_forbidden(view: Callable) -> Callable:
    """Answer a `Forbidden` raised anywhere in `view` with 403 carrying its sentence.

    Views then catch only the refusals they show on the page, and never repeat
    `except NotAllowed: raise PermissionDenied`.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Forbidden as error:
            raise PermissionDenied(str(error)) from error

    return wrapper
