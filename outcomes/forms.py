"""Forms of the update cycle. They check the shape of input; services decide what is allowed."""

from __future__ import annotations

from django import forms

from core.date_input import GovukDateField
from core.forms import NoNulCharField, too_long
from core.rag import Rag
from core.text import validate_single_line
from outcomes.models import NARRATIVE_MAX_LENGTH, CheckAcknowledgement, ReportingPeriod
from outcomes.services import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH

RAG_CHOICE_ERROR = "Choose Red, Amber or Green"


class VersionField(forms.IntegerField):
    """The version the form was loaded from (optimistic concurrency)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "The form was missing its version number. Reload the page and try again",
                "invalid": "The form's version number was not valid. Reload the page and try again",
                "min_value": "The form's version number was not valid. Reload the page and try again",
            },
        )
        super().__init__(**kwargs)


class AssessmentForm(forms.Form):
    SAVE_DRAFT = "save_draft"
    SAVE_NEXT = "save_next"  # a draft, then the officer's next criterion
    SUBMIT = "submit"

    rag = forms.ChoiceField(
        label="RAG rating this period",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={
            "invalid_choice": RAG_CHOICE_ERROR,
            "required": "Choose a RAG rating before submitting",
        },
    )
    narrative = NoNulCharField(
        label="Assessment of progress",
        # Sized for the council's long assessments, which run to several paragraphs.
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=NARRATIVE_MAX_LENGTH,
        required=False,
        strip=True,
        error_messages={
            "max_length": too_long("The assessment of progress", NARRATIVE_MAX_LENGTH),
            "required": "Enter the assessment of progress before submitting",
        },
    )
    carried_forward = forms.BooleanField(
        label="Position unchanged since last report",
        help_text=(
            "Last period's assessment of progress is copied into this period and marked as carried "
            "forward in the report. You can still change the rating."
        ),
        required=False,
    )
    quotes_previous = forms.BooleanField(
        label="Quote last period's assessment beneath mine",
        help_text=(
            "The report prints last period's assessment of progress under yours, in italics and headed "
            "“From the last report”, as the council's reports do. Write what has changed above."
        ),
        required=False,
    )
    reason = NoNulCharField(
        label="Reason for the change",
        help_text="This update has already been sent to its Lead Director, so the change needs a reason. "
        "It is kept in the criterion's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        required=False,
        strip=True,
        error_messages={"max_length": too_long("The reason", REASON_MAX_LENGTH)},
    )
    version = VersionField()
    action = forms.ChoiceField(
        choices=[
            (SAVE_DRAFT, "Save as draft"),
            (SAVE_NEXT, "Save and go to the next criterion"),
            (SUBMIT, "Submit"),
        ],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose whether to save a draft or submit",
            "invalid_choice": "Choose whether to save a draft or submit",
        },
    )

    def __init__(self, *args, previous_narrative: str = "", **kwargs):
        self.previous_narrative = previous_narrative or ""
        super().__init__(*args, **kwargs)
        # Both are needed to submit, not to save a draft, and not when last period's position is
        # carried forward (the service copies it). Unbound, the page shows them as needed.
        if self.is_bound:
            submitting = self.data.get("action") == self.SUBMIT
            carrying = self.data.get("carried_forward") not in (None, "", "false", "False", "0", "off")
            needed = submitting and not carrying
        else:
            needed = True
        self.fields["rag"].required = needed
        self.fields["narrative"].required = needed
        if not self.previous_narrative:
            # Nothing to quote; the service refuses it too, should a stale page post it anyway.
            del self.fields["quotes_previous"]

    @property
    def submitting(self) -> bool:
        return self.cleaned_data.get("action") == self.SUBMIT

    @property
    def going_next(self) -> bool:
        return self.cleaned_data.get("action") == self.SAVE_NEXT

    def clean(self):
        # Ticking both boxes, or carrying forward when there is nothing to carry, are refused by the
        # service (outcomes.services.updates), whose sentence the view shows beside the box. This
        # check is the page's own: the service copies last period's text over whatever it is given.
        data = super().clean()
        narrative = (data.get("narrative") or "").replace("\r\n", "\n")
        previous = self.previous_narrative.replace("\r\n", "\n").strip()
        carrying_only = data.get("carried_forward") and not data.get("quotes_previous")
        if carrying_only and previous and narrative and narrative != previous:
            # Refuse rather than silently replace what the officer has just written.
            self.add_error(
                "narrative",
                "You have written a new assessment and also said the position is unchanged: "
                "untick “Position unchanged since last report” or clear the text",
            )
        return data


class WithdrawForm(forms.Form):
    reason = NoNulCharField(
        label="Why are you withdrawing this update?",
        help_text="Kept in the criterion's history, which the Lead Director can read.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": "Enter the reason for withdrawing this update",
            "max_length": too_long("The reason", REASON_MAX_LENGTH),
        },
    )
    version = VersionField()


class ApproveForm(forms.Form):
    version = VersionField()


class ReturnForm(forms.Form):
    comment = NoNulCharField(
        label="What should the officer change?",
        help_text="The officer is emailed this comment and sees it on their update page.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": "Enter a comment telling the officer what to change",
            "max_length": too_long("The comment", COMMENT_MAX_LENGTH),
        },
    )
    version = VersionField()


class OutcomeSummaryForm(forms.Form):
    text = NoNulCharField(
        label="Your summary of progress on this outcome",
        help_text="As it will appear in the report, under “Lead Director Summary”.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=NARRATIVE_MAX_LENGTH,
        required=False,
        strip=True,
        error_messages={"max_length": too_long("The summary", NARRATIVE_MAX_LENGTH)},
    )
    version = VersionField()


class PeriodOpenForm(forms.Form):
    title = NoNulCharField(
        label="Title",
        help_text="As it appears on reports, for example “Quarter to March 2025”.",
        max_length=ReportingPeriod._meta.get_field("title").max_length,
        error_messages={"required": "Enter a title for the period"},
        validators=[validate_single_line],
    )
    slug = forms.SlugField(
        label="Short name",
        help_text="Used in web addresses and file names, for example “2024-25-q4” (UK financial year).",
        max_length=ReportingPeriod._meta.get_field("slug").max_length,
        error_messages={
            "required": "Enter a short name for the period",
            "invalid": "The short name can only contain letters, numbers and hyphens",
        },
    )
    short_label = NoNulCharField(
        label="Column heading",
        help_text="A few characters used in tables and charts, for example “Mar 25”.",
        max_length=ReportingPeriod._meta.get_field("short_label").max_length,
        error_messages={"required": "Enter a column heading for the period"},
        validators=[validate_single_line],
    )
    start = GovukDateField(
        label="First day of the period",
        error_name="First day of the period",
        error_messages={"required": "Enter the first day of the period"},
    )
    end = GovukDateField(
        label="Last day of the period",
        error_name="Last day of the period",
        error_messages={"required": "Enter the last day of the period"},
    )
    deadline = GovukDateField(
        label="Deadline for officers' updates",
        help_text="Owners get a reminder a few days before it.",
        error_name="Deadline",
        error_messages={"required": "Enter the deadline for updates"},
    )

    def clean_slug(self):
        # Whether the dates fit and the short name is free is for outcomes.services.period_open_next.
        return self.cleaned_data["slug"].lower()


class PeriodDeadlineForm(forms.Form):
    deadline = GovukDateField(
        label="New deadline for officers' updates",
        help_text="Every owner of a criterion is emailed the new deadline.",
        error_name="Deadline",
        error_messages={"required": "Enter the new deadline"},
    )
    reason = NoNulCharField(
        label="Why is the deadline changing?",
        help_text="Kept in the period's history and shown on the period page.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": "Enter the reason for changing the deadline",
            "max_length": too_long("The reason", REASON_MAX_LENGTH),
        },
    )


class PeriodReopenForm(forms.Form):
    reason = NoNulCharField(
        label="Why does this period need to be re-opened?",
        help_text="Kept in the period's history and shown on the period page.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": "Enter the reason for re-opening this period",
            "max_length": too_long("The reason", REASON_MAX_LENGTH),
        },
    )


ACKNOWLEDGEMENT_MAX_LENGTH = CheckAcknowledgement._meta.get_field("reason").max_length


class AcknowledgeForm(forms.Form):
    finding_key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    reason = NoNulCharField(
        label="Why can this warning stand?",
        help_text="Kept with your name in the period’s record of acknowledgements.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=ACKNOWLEDGEMENT_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": "Enter a reason for acknowledging this warning",
            "max_length": too_long("The reason", ACKNOWLEDGEMENT_MAX_LENGTH),
        },
    )


class ChecksFilterForm(forms.Form):
    """The checks page's GET form: how to group the findings, and which to show."""

    group = forms.ChoiceField(
        label="Group findings by",
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Choose whether to group findings by outcome or by who must act",
            "required": "Choose whether to group findings by outcome or by who must act",
        },
    )
    severity = forms.ChoiceField(
        label="Severity",
        required=False,
        error_messages={"invalid_choice": "Choose a severity from the list"},
    )
    rule = forms.ChoiceField(
        label="Rule",
        required=False,
        error_messages={"invalid_choice": "Choose a rule from the list"},
    )

    def __init__(self, *args, **kwargs):
        from outcomes.checks import RULE_LABELS, Severity
        from outcomes.checks.grouping import GROUPINGS

        super().__init__(*args, **kwargs)
        self.fields["group"].choices = list(GROUPINGS.items())
        self.fields["severity"].choices = [("", "Any severity"), *Severity.choices]
        self.fields["rule"].choices = [("", "Any rule"), *RULE_LABELS.items()]


class ChaseForm(forms.Form):
    """What a chase button posts: where to come back to, and, once confirmed, the chases it has seen."""

    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)
    again_after = forms.DateTimeField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "The confirmation was not valid. Go back and chase again."},
    )
