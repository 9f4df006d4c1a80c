"""Refused delivery changes, each carrying a sentence the page shows in its error summary."""

from __future__ import annotations

from typing import Any


class DeliveryError(Exception):
    default_message = "That change could not be made."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class DeliveryNotAllowed(DeliveryError):
    default_message = "You do not have permission to do that."


class DeliveryStaleEdit(DeliveryError):
    """Someone else saved since the form was loaded; `current` is the row as saved now."""

    def __init__(self, current: Any):
        self.current = current
        who = getattr(current, "updated_by", None)
        name = (who.get_full_name() or who.username) if who is not None else "Someone else"
        super().__init__(
            f"{name} saved a change while you were editing. Nothing has been overwritten: "
            "check what is saved now and make your change again if it is still right."
        )
