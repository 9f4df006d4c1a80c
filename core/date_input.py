"""The GOV.UK date input: a date asked for as day, month and year boxes, with the Design System's errors.

Browsers' own date pickers are hard to use with a screen reader or on a small phone, and cannot be
styled to show which part is wrong, so the GOV.UK Design System asks for three boxes instead. The
field's errors are the pattern's sentences ("Deadline must include a month", "Deadline must be a real
date"); `error_parts` says which boxes to mark. `templates/includes/date_input.html` renders it, and
`templates/includes/field.html` uses that for any field with this widget.
"""

from __future__ import annotations

import datetime as dt

from django import forms

PARTS = ("day", "month", "year")


class GovukDateInput(forms.MultiWidget):
    """Three text boxes named `<name>-day`, `<name>-month` and `<name>-year`."""

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric"}
        super().__init__([forms.TextInput(box), forms.TextInput(box), forms.TextInput(box)], attrs)
        self.widgets_names = [f"-{part}" for part in PARTS]

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        return [(data.get(f"{name}-{part}") or "").strip() for part in PARTS]

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}-{part}" not in data for part in PARTS)


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else " and ".join([", ".join(parts[:-1]), parts[-1]])


class GovukDateBoundField(forms.BoundField):
    @property
    def widget_type(self) -> str:
        # What templates/includes/field.html draws as the date input, for this widget's subclasses too.
        return "govukdate"

    @property
    def date_boxes(self) -> list[dict]:
        """The three boxes as the template draws them: id, name, label, value, width, marked wrong."""
        value = self.value()
        texts = self.field.widget.decompress(value) if not isinstance(value, (list, tuple)) else list(value)
        marked = set(self.field.error_parts or PARTS) if self.errors else set()
        return [
            {
                "id": self.auto_id if part == "day" else f"{self.auto_id}-{part}",
                "name": f"{self.html_name}-{part}",
                "label": part.capitalize(),
                "value": text or "",
                "width": 4 if part == "year" else 2,
                "error": part in marked,
            }
            for part, text in zip(PARTS, texts, strict=True)
        ]


class GovukDateField(forms.Field):
    """A date from day, month and year boxes. `error_name` starts each sentence, e.g. "Deadline"."""

    widget = GovukDateInput

    def __init__(self, *, error_name: str, **kwargs):
        self.error_name = error_name
        self.error_parts: tuple[str, ...] = ()
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        return GovukDateBoundField(form, self, field_name)

    def clean(self, value):
        self.error_parts = ()
        parts = list(value) if isinstance(value, (list, tuple)) else [None, None, None]
        if isinstance(value, dt.date):
            return value
        parts = [(p or "").strip() if isinstance(p, str) else "" for p in parts]
        missing = [name for name, text in zip(PARTS, parts, strict=True) if not text]
        if len(missing) == len(PARTS):
            if self.required:
                self.error_parts = PARTS
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        if missing:
            self.error_parts = tuple(missing)
            raise forms.ValidationError(
                f"{self.error_name} must include a {_joined(missing)}", code="incomplete"
            )
        try:
            day, month, year = (int(text) for text in parts)
            if not 1000 <= year <= 9999:
                raise ValueError("a year has four digits")
            return dt.date(year, month, day)
        except (ValueError, OverflowError):  # a day or month past a C integer overflows, not errs
            self.error_parts = PARTS
            raise forms.ValidationError(f"{self.error_name} must be a real date", code="invalid") from None

    def has_changed(self, initial, data):
        return self.clean(data) != initial if data else initial is not None
