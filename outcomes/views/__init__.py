"""The update cycle's pages, split by journey: updates (officers), signoff (lead directors),
periods and chasing (programme office), checks (pre-publication checks) and history (everyone).

Every view that calls a service is wrapped in `core.refusals.refusals_forbidden`, so a `NotAllowed`
answers 403 with its own sentence; views catch only the `DomainError`s they show on the page.
"""

from __future__ import annotations

from django import forms

from outcomes.exceptions import DomainError


def show_on_form(form: forms.Form, error: DomainError) -> bool:
    """Put a refusal's sentence beside the inputs it names. False when it names none of this form's."""
    shown = [(name, sentence) for name, sentence in error.field_errors() if name in form.fields]
    for name, sentence in shown:
        form.add_error(name, sentence)
    return bool(shown)
