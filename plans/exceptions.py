"""Refused delivery changes, each carrying a sentence the page shows in its error summary."""

from __future__ import annotations

from typing import Any

from core.people import display_name
from core.refusals import Forbidden, Refusal


class DeliveryError(Refusal):
    default_message = "That change could not be made."


class DeliveryNotAllowed(Forbidden):
    """Answered with 403 by `core.refusals.refusals_forbidden`, the sentence kept. Not a
    DeliveryError, so a view's `except DeliveryError` (shown on the form) never swallows it."""

    default_message = "You do not have permission to do that."


class DeliveryStaleEdit(DeliveryError):
    """Someone else saved since the form was loaded; `current` is the row as saved now."""

    def __init__(self, current: Any):
        self.current = current
        who = getattr(current, "updated_by", None)
        name = display_name(who, nobody="Someone else")
        super().__init__(
            f"{name} saved a change while you were editing. Nothing has been overwritten: "
            "check what is saved now and make your change again if it is still right."
        )
