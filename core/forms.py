"""What every app's forms share, so each rule is written once: the sentence for text that is too
long, and the fields that keep input the database cannot take from turning into an error page
(text holding a NUL byte, a choice naming an id larger than a database integer holds)."""

from __future__ import annotations

from django import forms

# The largest id a database integer holds: a larger one names no row, and SQLite refuses even to
# compare it (an error page instead of "choose from the list").
MAX_ID = 2**63 - 1


def too_long(label: str, limit: int) -> str:
    """The sentence every form gives for text over its length limit, e.g. "The note must be 2,000
    characters or fewer"."""
    return f"{label} must be {limit:,} characters or fewer"


class NoNulCharField(forms.CharField):
    """Text PostgreSQL can store. Django's own validator already refuses a NUL byte; this gives the
    refusal a sentence telling the user what to do, unless the form names its own."""

    def __init__(self, **kwargs):
        kwargs["error_messages"] = {"null_characters_not_allowed": "Remove the null characters"} | (
            kwargs.get("error_messages") or {}
        )
        super().__init__(**kwargs)


def names_no_row(value) -> bool:
    """Whether a submitted id is a whole number no row can have (0, negative, or beyond MAX_ID)."""
    text = str(value).strip()
    digits = text.removeprefix("-")  # ASCII digits only: str.isdigit() also accepts "²", which int() refuses
    return digits.isascii() and digits.isdigit() and not 0 < int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A model choice whose id beyond any row is answered with the field's "choose from the list"
    message, as an unknown id is."""

    def to_python(self, value):
        if value not in self.empty_values and names_no_row(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several model choices, guarded as IdChoiceField is."""

    def _check_values(self, value):
        for item in value:
            if names_no_row(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)
