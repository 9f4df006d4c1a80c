"""Forms of the evaluation framework. They check the shape of input; services decide what is allowed."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.forms.models import ModelChoiceIterator

from core.forms import IdChoiceField, IdMultipleChoiceField, NoNulCharField, names_no_row, too_long
from core.rag import Rag
from outcomes.evidence_files import ACCEPTED
from outcomes.models import (
    NARRATIVE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    EvidenceStatus,
    Metric,
    MetricFrequency,
    MetricPolarity,
    Outcome,
    SuccessCriterion,
)

TITLE_MAX_LENGTH = 200
IMPORT_MAX_BYTES = 10 * 1024 * 1024


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
        error_messages={"max_length": too_long("The note", NOTE_MAX_LENGTH)},
    )


class EvidenceLinkForm(forms.Form):
    link_title = NoNulCharField(
        label="What the link shows",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Enter what the link shows",
            "max_length": too_long("What the link shows", TITLE_MAX_LENGTH),
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
            "max_length": too_long("The web address", 1_000),
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
        error_messages={"max_length": too_long("What the file shows", TITLE_MAX_LENGTH)},
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
            "max_length": too_long("The commentary", NARRATIVE_MAX_LENGTH),
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


class _OutcomeChoice(IdChoiceField):
    def label_from_instance(self, outcome: Outcome) -> str:
        return f"{outcome.number}. {outcome.title}"


class _ShownCriteria(ModelChoiceIterator):
    """The criteria offered as checkboxes: the field's shown_queryset, not all it accepts."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = field.shown_queryset


class _CriteriaChoice(IdMultipleChoiceField):
    iterator = _ShownCriteria
    shown_queryset = SuccessCriterion.objects.none()

    def label_from_instance(self, criterion: SuccessCriterion) -> str:
        text = criterion.text if len(criterion.text) <= 120 else criterion.text[:119] + "…"
        return f"{criterion.reference}. {text}"


CRITERIA_HINT = "Only criteria of the chosen outcome are listed."
CRITERIA_HINT_NO_OUTCOME = "Choose the outcome first, then select “Show the outcome’s criteria”."


def _text(label: str, limit: int, *, required: bool = False, rows: int | None = None, **kwargs):
    messages = {"max_length": too_long(label, limit), "required": f"Enter the {label.lower()}"}
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return NoNulCharField(
        label=label, max_length=limit, required=required, error_messages=messages, widget=widget, **kwargs
    )


class MetricForm(forms.Form):
    """A metric's definition in the plan's library. The Programme Office writes it; the service saves it."""

    code = forms.SlugField(
        label="Code",
        help_text=(
            "Letters, numbers and hyphens, unique in the plan, e.g. GOV-01. Imports name the metric by it."
        ),
        max_length=40,
        error_messages={
            "required": "Enter the code",
            "invalid": "The code can only contain letters, numbers, hyphens and underscores",
            "max_length": too_long("The code", 40),
        },
    )
    name = _text("Name", 200, required=True)
    definition = _text("Definition", 10_000, rows=4)
    source_system = _text("Source system", 200)
    how_obtained = _text("How the figure is obtained", 10_000, rows=4)
    owner = _text("Owner", 200, help_text="Who is accountable for the figure.")
    frequency = forms.ChoiceField(
        label="Frequency",
        choices=MetricFrequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose monthly, quarterly or annual",
            "invalid_choice": "Choose monthly, quarterly or annual",
        },
    )
    unit = _text("Unit", 40, help_text='For example "%", "days" or "£k".')
    polarity = forms.ChoiceField(
        label="Which direction is better?",
        choices=MetricPolarity.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether higher or lower is better",
            "invalid_choice": "Choose whether higher or lower is better",
        },
    )
    tolerance = forms.DecimalField(
        label="Tolerance",
        help_text=(
            "The amber band as a fraction of the target, from 0 to 1: 0.05 means a figure within 5% "
            "short of the target is amber. 0 means no amber band."
        ),
        max_digits=5,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=Decimal(1),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the tolerance, from 0 to 1 (0 for no amber band)",
            "invalid": "Enter the tolerance as a number from 0 to 1, like 0.05",
            "min_value": "The tolerance must be 0 or more",
            "max_value": "The tolerance must be 1 or less: it is a fraction of the target, like 0.05",
            "max_digits": "Enter the tolerance with at most 4 decimal places, like 0.0525",
            "max_decimal_places": "Enter the tolerance with at most 4 decimal places, like 0.0525",
            "max_whole_digits": "The tolerance must be 1 or less: it is a fraction of the target, like 0.05",
        },
    )
    outcome = _OutcomeChoice(
        label="Outcome it informs",
        queryset=Outcome.objects.none(),
        empty_label="Choose an outcome",
        error_messages={"required": "Choose the outcome", "invalid_choice": "Choose an outcome of this plan"},
    )
    criteria = _CriteriaChoice(
        label="Success criteria it informs",
        help_text=CRITERIA_HINT,
        queryset=SuccessCriterion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose success criteria of this plan",
            "invalid_pk_value": "Choose success criteria of this plan",
            "list": "Choose success criteria of this plan",
        },
    )

    def __init__(self, *args, plan, metric: Metric | None = None, **kwargs):
        if metric is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(metric, name) for name in METRIC_FIELDS},
                "outcome": metric.outcome_id,
                "criteria": [criterion.pk for criterion in metric.criteria.all()],
            }
        super().__init__(*args, **kwargs)
        self.plan, self.metric = plan, metric
        self.fields["outcome"].queryset = Outcome.objects.filter(plan=plan).order_by("number")
        # Only the chosen outcome's criteria are offered: a plan holds thousands (6,100 at ×100),
        # and one list of them all made the page slow and the choice unreadable. Checking what
        # was sent still ranges over the plan (it looks up only the ids sent), so a criterion of
        # another outcome is named in clean() rather than refused as unknown.
        self.chosen_outcome_id = self._chosen_outcome_id()
        criteria = self.fields["criteria"]
        if self.chosen_outcome_id is None:
            criteria.shown_queryset = SuccessCriterion.objects.none()
            criteria.help_text = CRITERIA_HINT_NO_OUTCOME
        else:
            criteria.shown_queryset = (
                SuccessCriterion.objects.filter(outcome__plan=plan, outcome_id=self.chosen_outcome_id)
                .select_related("outcome")
                .order_by("letter")
            )
        criteria.queryset = SuccessCriterion.objects.filter(outcome__plan=plan).select_related("outcome")

    def _chosen_outcome_id(self) -> int | None:
        """The outcome whose criteria to offer: the one sent, else the metric's; None if neither
        names a possible row (the outcome field itself says what is wrong with what was sent)."""
        raw = self.data.get(self.add_prefix("outcome")) if self.is_bound else self.initial.get("outcome")
        text = str(raw if raw is not None else "").strip()
        if not (text.isascii() and text.isdigit()) or names_no_row(text):
            return None
        return int(text)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        taken = Metric.objects.filter(plan=self.plan, code__iexact=code)
        if self.metric is not None:
            taken = taken.exclude(pk=self.metric.pk)
        if taken.exists():
            raise forms.ValidationError(f"Another metric of this plan already has the code {code}")
        return code

    def clean(self):
        cleaned = super().clean()
        outcome, criteria = cleaned.get("outcome"), cleaned.get("criteria")
        if outcome is not None and criteria:
            strays = [criterion.reference for criterion in criteria if criterion.outcome_id != outcome.pk]
            if strays:
                self.add_error(
                    "criteria",
                    f"Choose only success criteria of outcome {outcome.number}: "
                    f"{', '.join(strays)} {'belongs' if len(strays) == 1 else 'belong'} to another outcome",
                )
        return cleaned


# The plain fields of a metric the form edits (outcome and criteria are set apart).
METRIC_FIELDS = (
    "code",
    "name",
    "definition",
    "source_system",
    "how_obtained",
    "owner",
    "frequency",
    "unit",
    "polarity",
    "tolerance",
)
