"""Domain exceptions of the update cycle, each carrying a sentence a user can read.

Services raise them; views catch `DomainError` and put `str(error)` in the GOV.UK error summary
(or, for `NotAllowed`, answer 403 with it).
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refused change. `str(error)` is the sentence shown to the user."""

    default_message = "That change could not be made."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class NotAllowed(DomainError):
    """The person's role or ownership does not allow the action (the view answers 403)."""

    default_message = "You do not have permission to do that."


class NotYourCriterion(NotAllowed):
    default_message = "You can only update the success criteria you own."


class NotYourOutcome(NotAllowed):
    default_message = "You can only sign off the outcomes you lead."


class PeriodClosed(DomainError):
    default_message = "This reporting period is closed, so its updates can no longer be changed."


class ReasonRequired(DomainError):
    default_message = "Enter the reason for changing an update that has already been submitted or approved."


class InvalidTransition(DomainError):
    """The thing is not in a state that allows this step (e.g. approving a draft)."""


class IncompleteAssessment(DomainError):
    """Submitting needs a RAG rating and an assessment of progress."""

    def __init__(self, message: str | None = None, *, missing: tuple[str, ...] = ()):
        self.missing = missing
        super().__init__(
            message or "Choose a RAG rating and enter the assessment of progress before submitting."
        )


class NothingToCarryForward(DomainError):
    default_message = (
        "There is no assessment from the last report to carry forward. "
        "Write this period's assessment instead."
    )


class PublicationBlocked(DomainError):
    """Pre-publication checks found something that must be fixed first."""

    def __init__(self, blockers: list[Any]):
        self.blockers = list(blockers)
        # Findings from outcomes.checks: blocking ones must be fixed; warnings may be acknowledged instead.
        blocking = sum(1 for blocker in self.blockers if getattr(blocker, "blocks", True))
        warnings = len(self.blockers) - blocking
        parts = []
        if blocking:
            parts.append(f"{blocking} finding{'s' if blocking != 1 else ''} must be fixed")
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''} must be fixed or acknowledged")
        super().__init__(
            f"This period cannot be published yet: {' and '.join(parts)}. See the pre-publication checks."
        )


class StaleEdit(DomainError):
    """Someone else saved since this form was loaded; `current` is the row as it is now saved."""

    def __init__(self, current: Any, message: str | None = None):
        self.current = current
        who = getattr(current, "updated_by", None)
        name = (who.get_full_name() or who.username) if who is not None else "Someone else"
        super().__init__(
            message
            or f"{name} saved a change while you were editing. Nothing has been overwritten: "
            "compare the two versions and apply yours again if it is still right."
        )
