"""Domain exceptions of the update cycle, each carrying a sentence a user can read.

Services raise them; views catch `DomainError` and put `str(error)` in the GOV.UK error summary,
or beside the input it names (`field`). `NotAllowed` is not a `DomainError`: it is a
`core.refusals.Forbidden`, which `refusals_forbidden` answers with 403 and its sentence.
"""

from __future__ import annotations

from typing import Any

from core.people import display_name
from core.refusals import Forbidden, Refusal


class DomainError(Refusal):
    """A refused change. `str(error)` is the sentence shown to the user.

    `field` names the form input the sentence is about, when there is one, so the page can show it
    beside that input; the sentence is the same either way.
    """

    default_message = "That change could not be made."
    field = ""

    def __init__(self, message: str | None = None, *, field: str | None = None):
        super().__init__(message)
        if field is not None:
            self.field = field

    def field_errors(self) -> list[tuple[str, str]]:
        """(input, sentence) pairs to show beside inputs; empty when the sentence is about no input."""
        return [(self.field, self.message.rstrip("."))] if self.field else []


class NotAllowed(Forbidden):
    """The person's role or ownership does not allow the action (the view answers 403)."""


class NotYourCriterion(NotAllowed):
    default_message = "You can only update the success criteria you own."


class NotYourOutcome(NotAllowed):
    default_message = "You can only sign off the outcomes you lead."


class PeriodClosed(DomainError):
    default_message = "This reporting period is closed, so its updates can no longer be changed."

    @classmethod
    def for_updates(cls, period: Any) -> PeriodClosed:
        """Officers' updates in a period that is no longer open."""
        return cls(
            f"{period.title} is {period.get_state_display().lower()}, so its updates can no longer be "
            "changed. Nothing was saved."
        )


class ReasonRequired(DomainError):
    default_message = "Enter the reason for changing an update that has already been submitted or approved."


class InvalidTransition(DomainError):
    """The thing is not in a state that allows this step (e.g. approving a draft)."""


class IncompleteAssessment(DomainError):
    """Submitting needs a RAG rating and an assessment of progress."""

    MISSING = {
        "rag": "Choose a RAG rating before submitting",
        "narrative": "Enter the assessment of progress before submitting",
    }

    def __init__(self, message: str | None = None, *, missing: tuple[str, ...] = ()):
        self.missing = missing
        super().__init__(
            message or "Choose a RAG rating and enter the assessment of progress before submitting."
        )

    def field_errors(self) -> list[tuple[str, str]]:
        return [(name, self.MISSING[name]) for name in self.missing or ("narrative",)]


class NothingToCarryForward(DomainError):
    field = "carried_forward"
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


class ChaseNeedsConfirmation(DomainError):
    """Someone was chased less than a day ago: the Programme Office must say it means to chase again.

    `recent` maps each such person to when they were last chased; `seen_up_to` is the latest of
    those moments, which the confirmation form sends back so a second click chases no one twice.
    """

    def __init__(self, recent: dict[Any, Any]):
        self.recent = dict(recent)
        self.seen_up_to = max(self.recent.values())
        names = ", ".join(display_name(person) for person in self.recent)
        super().__init__(
            f"{names} {'was' if len(self.recent) == 1 else 'were'} chased less than 24 hours ago. "
            "Confirm that you want to chase again."
        )


class StaleEdit(DomainError):
    """Someone else saved since this form was loaded; `current` is the row as it is now saved."""

    def __init__(self, current: Any, message: str | None = None):
        self.current = current
        name = display_name(getattr(current, "updated_by", None), nobody="Someone else")
        super().__init__(
            message
            or f"{name} saved a change while you were editing. Nothing has been overwritten: "
            "compare the two versions and apply yours again if it is still right."
        )
