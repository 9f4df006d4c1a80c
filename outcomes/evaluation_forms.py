"""Forms of the evaluation framework. They check the shape of input; services decide what is allowed."""

from __future__ import annotations

from django import forms

from core.rag import Rag
from outcomes.evidence_files import ACCEPTED
from outcomes.models import NARRATIVE_MAX_LENGTH, NOTE_MAX_LENGTH, EvidenceStatus

TITLE_MAX_LENGTH = 200
IMPORT_MAX_BYTES = 10 * 1024 * 1024


def _max(label: str, limit: int) -> str:
    return f"{label} must be {limit:,} characters or fewer"


class NoNulCharField(forms.CharField):
    """Text that PostgreSQL can store: a NUL byte is refused with a sentence, not a 500."""

    def clean(self, value):
        value = super().clean(value)
        if value and "\x00" in value:
            raise forms.ValidationError(f"{self.label} must not contain a null character")
        return value


class EvidenceStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="How far is this measure evidenced this period?",
        choices=EvidenceStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose Evidenced, Partly evidenced or Not yet evidenced",
            "invalid_choice": "Choose Evidenced, Partly evidenced or Not yet evidenced",
        },
    )
    note = NoNulCharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        error_messages={"max_length": _max("The note", NOTE_MAX_LENGTH)},
    )


class EvidenceLinkForm(forms.Form):
    link_title = NoNulCharField(
        label="What the link shows",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Enter what the link shows",
            "max_length": _max("What the link shows", TITLE_MAX_LENGTH),
        },
    )
    url = forms.URLField(
        label="Web address",
        help_text="For example, https://democracy.example.gov.uk/minutes/123",
        max_length=1_000,
        assume_scheme="https",
        error_messages={
            "required": "Enter the web address",
            "invalid": "Enter a web address in the correct format, like https://www.example.gov.uk",
            "max_length": "The web address must be 1,000 characters or fewer",
        },
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter a web address starting with https:// or http://")
        return url


class EvidenceFileForm(forms.Form):
    file_title = NoNulCharField(
        label="What the file shows",
        max_length=TITLE_MAX_LENGTH,
        required=False,
        error_messages={"max_length": _max("What the file shows", TITLE_MAX_LENGTH)},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A {ACCEPTED}, smaller than 20 MB.",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
            "invalid": "Select a file",
            "missing": "Select a file",
        },
    )


class JudgementForm(forms.Form):
    rag = forms.ChoiceField(
        label="Commissioners' assurance rating",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose Red, Amber or Green",
            "invalid_choice": "Choose Red, Amber or Green",
        },
    )
    commentary = NoNulCharField(
        label="Commentary",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=NARRATIVE_MAX_LENGTH,
        error_messages={
            "required": "Enter the commentary",
            "max_length": _max("The commentary", NARRATIVE_MAX_LENGTH),
        },
    )


class JudgementPublicationForm(forms.Form):
    for_publication = forms.TypedChoiceField(
        label="Are the commissioners' judgements of this period for publication?",
        help_text="If so, they are shown to everyone who can read the period and become part of its report.",
        choices=[("yes", "Yes, for publication"), ("no", "No, for the council and commissioners only")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the judgements are for publication",
            "invalid_choice": "Choose yes or no",
        },
    )


class MetricImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV or Excel file",
        help_text=(
            "The first row must be the header metric,period,value,target,note "
            "(target and note may be left out)."
        ),
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
            "invalid": "Select a file",
            "missing": "Select a file",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10 MB")
        return upload


class MetricImportApplyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=500)
