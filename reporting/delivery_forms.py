"""Forms of the delivery pages. They check the shape of input; plans.services decides what is allowed."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib.auth import get_user_model

from accounts.roles import Role
from core.date_input import GovukDateField, GovukDateInput
from core.forms import IdChoiceField, IdMultipleChoiceField, NoNulCharField, too_long
from core.people import display_name
from plans.models import (
    Board,
    MilestoneStatus,
    Objective,
    Priority,
    RaidKind,
    RaidStatus,
    Theme,
    ThemeWorkstream,
    Workstream,
)
from plans.services import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH

SCORES = [("", "Not scored"), *[(str(n), str(n)) for n in range(1, 6)]]
WHOLE_PLAN = "plan"


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        message = "The form's version number was missing or not valid. Reload the page and try again"
        super().__init__(
            min_value=1,
            max_value=2**31 - 1,
            error_messages={
                "required": message,
                "invalid": message,
                "min_value": message,
                "max_value": message,
            },
            **kwargs,
        )


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


class SensibleDateField(GovukDateField):
    """A date a plan could mean (years 1900 to 2999), asked for as the GOV.UK date input's day,
    month and year boxes, with its sentences ("Due date must be a real date")."""

    def clean(self, value):
        date = super().clean(value)
        if date is not None and not EARLIEST <= date <= LATEST:
            self.error_parts = ("year",)
            raise forms.ValidationError(
                f"{self.error_name} must be between 1900 and 2999", code="out_of_range"
            )
        return date


class AddressDateInput(GovukDateInput):
    """The date input of a form sent by GET, which also reads the one-value date (`as_of=2025-06-30`)
    that the page's own links, its files and addresses people have shared carry."""

    def value_from_datadict(self, data, files, name):
        boxes = super().value_from_datadict(data, files, name)
        written = (data.get(name) or "").strip()
        if any(boxes) or not written:
            return boxes
        parts = re.split(r"[-/. ]+", written)
        if len(parts) != 3:
            return [written, "", ""]  # "must include a month and year": the rest is not there
        # Year first as in an address (2025-06-30), else day first as people write it (30/06/2025).
        return [parts[2], parts[1], parts[0]] if len(parts[0]) == 4 else parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


def _people():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class PersonChoiceField(IdChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class MilestoneUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=MilestoneStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the milestone's status",
            "invalid_choice": "Choose one of the statuses",
        },
    )
    note = NoNulCharField(
        label="Progress note",
        help_text="What has happened since the last update, and what is needed if it is at risk "
        "or off track.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NOTE_MAX_LENGTH,
        error_messages={
            "required": "Enter a progress note saying what has changed",
            "max_length": too_long("The progress note", NOTE_MAX_LENGTH),
        },
    )
    version = VersionField()


class MilestoneForm(forms.Form):
    reference = NoNulCharField(
        label="Reference",
        max_length=40,
        help_text="Unique in the plan, for example 1.1.1-M1.",
        error_messages={"required": "Enter a reference", "max_length": too_long("The reference", 40)},
    )
    title = NoNulCharField(
        label="Milestone",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={
            "required": "Enter what the milestone delivers",
            "max_length": too_long("The milestone", TEXT_MAX_LENGTH),
        },
    )
    objective = IdChoiceField(
        label="Objective",
        queryset=Objective.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose one of this plan's objectives"},
    )
    owner = PersonChoiceField(
        label="Owner",
        queryset=_people(),
        required=False,
        help_text="The person who updates it.",
        error_messages={"invalid_choice": "Choose the owner from the list"},
    )
    sponsor = NoNulCharField(
        label="Sponsor",
        max_length=200,
        required=False,
        error_messages={"max_length": too_long("The sponsor", 200)},
    )
    cabinet_sponsor = NoNulCharField(
        label="Cabinet sponsor",
        max_length=200,
        required=False,
        error_messages={"max_length": too_long("The Cabinet sponsor", 200)},
    )
    lead = NoNulCharField(
        label="Lead officer",
        max_length=200,
        required=False,
        error_messages={"max_length": too_long("The lead officer", 200)},
    )
    start_date = SensibleDateField(
        label="Start date",
        error_name="Start date",
        required=False,
    )
    due_date = SensibleDateField(
        label="Due date",
        error_name="Due date",
        required=False,
    )
    due_as_written = NoNulCharField(
        label="Due date as the plan writes it",
        max_length=60,
        required=False,
        help_text="Only when the plan gives it loosely, for example “March 2024” or “Ongoing”.",
        error_messages={"max_length": too_long("The due date as written", 60)},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(
            workstream__priority__plan=plan
        ).select_related("workstream__priority")
        self.fields["objective"].label_from_instance = lambda o: (
            f"{o.workstream.priority.number}.{o.workstream.number}.{o.number} {o.text[:80]}"
        )

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date must be on or after the start date")
        return cleaned


class MilestoneEditForm(MilestoneForm):
    reason = NoNulCharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX_LENGTH,
        error_messages={
            "required": "Enter the reason for the change",
            "max_length": too_long("The reason", NOTE_MAX_LENGTH),
        },
    )
    version = VersionField()


def level_choices(plan) -> list[tuple[str, str]]:
    choices = [(WHOLE_PLAN, "The whole plan")]
    for priority in Priority.objects.filter(plan=plan).prefetch_related("workstreams").order_by("number"):
        choices.append((f"priority:{priority.pk}", f"Priority {priority.number}: {priority.title}"))
        choices += [(f"workstream:{w.pk}", f"– Workstream: {w.title}") for w in priority.workstreams.all()]
    for theme in Theme.objects.filter(plan=plan).prefetch_related("workstreams").order_by("number"):
        choices.append((f"theme:{theme.pk}", f"Theme {theme.number}: {theme.title}"))
        choices += [(f"theme_workstream:{w.pk}", f"– Workstream: {w.title}") for w in theme.workstreams.all()]
    return choices


LEVEL_MODELS = {
    "priority": Priority,
    "workstream": Workstream,
    "theme": Theme,
    "theme_workstream": ThemeWorkstream,
}


class RaidForm(forms.Form):
    reference = NoNulCharField(
        label="Reference",
        max_length=40,
        help_text="Unique in the plan's log, for example R8.",
        error_messages={"required": "Enter a reference", "max_length": too_long("The reference", 40)},
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=RaidKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose risk, assumption, issue or dependency",
            "invalid_choice": "Choose risk, assumption, issue or dependency",
        },
    )
    level = forms.ChoiceField(
        label="Level",
        choices=(),
        error_messages={
            "required": "Choose the level it sits at",
            "invalid_choice": "Choose a level from the list",
        },
    )
    description = NoNulCharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={
            "required": "Enter a description",
            "max_length": too_long("The description", TEXT_MAX_LENGTH),
        },
    )
    owner = PersonChoiceField(
        label="Owner",
        queryset=_people(),
        required=False,
        error_messages={"invalid_choice": "Choose the owner from the list"},
    )
    likelihood = forms.TypedChoiceField(
        label="Likelihood (risks)",
        choices=SCORES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 (rare) to 5 (almost certain).",
        error_messages={"invalid_choice": "Choose a likelihood from 1 to 5"},
    )
    impact = forms.TypedChoiceField(
        label="Impact (risks)",
        choices=SCORES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 (minimal) to 5 (severe).",
        error_messages={"invalid_choice": "Choose an impact from 1 to 5"},
    )
    mitigation = NoNulCharField(
        label="Mitigation",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": too_long("The mitigation", TEXT_MAX_LENGTH)},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=RaidStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose open or closed", "invalid_choice": "Choose open or closed"},
    )
    review_date = SensibleDateField(
        label="Review date",
        error_name="Review date",
        required=False,
    )
    escalated_to = IdChoiceField(
        label="Escalated to",
        queryset=Board.objects.all(),
        required=False,
        empty_label="Not escalated",
        error_messages={"invalid_choice": "Choose a board from the list"},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices(plan)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind")
            and cleaned["kind"] != RaidKind.RISK
            and (cleaned.get("likelihood") is not None or cleaned.get("impact") is not None)
        ):
            self.add_error("likelihood", "Only risks are scored: leave likelihood and impact as not scored")
        if (cleaned.get("likelihood") is None) != (cleaned.get("impact") is None):
            self.add_error("impact", "Score both likelihood and impact, or neither")
        return cleaned

    def level_values(self) -> dict:
        """The level as the four nullable links of a RAID entry."""
        values = dict.fromkeys(LEVEL_MODELS)
        level = self.cleaned_data["level"]
        if level != WHOLE_PLAN:
            name, pk = level.split(":")
            values[name] = LEVEL_MODELS[name].objects.get(pk=int(pk))
        return values


class RaidEditForm(RaidForm):
    reason = NoNulCharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX_LENGTH,
        error_messages={
            "required": "Enter the reason for the change",
            "max_length": too_long("The reason", NOTE_MAX_LENGTH),
        },
    )
    version = VersionField()


class BoardForm(forms.Form):
    sees_everything = forms.BooleanField(label="Oversees the whole of every plan", required=False)
    priorities = IdMultipleChoiceField(
        label="Priorities it oversees",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=Priority.objects.select_related("plan").order_by("plan__version_date", "number"),
        error_messages={
            "invalid_choice": "Choose priorities from the list",
            "invalid_pk_value": "Choose priorities from the list",
        },
    )
    themes = IdMultipleChoiceField(
        label="Themes it oversees (action plans)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=Theme.objects.select_related("plan").order_by("plan__version_date", "number"),
        error_messages={
            "invalid_choice": "Choose themes from the list",
            "invalid_pk_value": "Choose themes from the list",
        },
    )
    members = IdMultipleChoiceField(
        label="Members",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=get_user_model()
        .objects.filter(groups__name=Role.BOARD_MEMBER, is_active=True)
        .order_by("first_name", "last_name", "username"),
        help_text="People with the Board member role who sit on this board.",
        error_messages={
            "invalid_choice": "Choose members from the list",
            "invalid_pk_value": "Choose members from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].label_from_instance = lambda p: (
            f"{p.plan.title} – Priority {p.number}: {p.title}"
        )
        self.fields["themes"].label_from_instance = lambda t: f"{t.plan.title} – Theme {t.number}: {t.title}"
        self.fields["members"].label_from_instance = display_name


class StatusLabelForm(forms.Form):
    label = NoNulCharField(
        label="The plan's label",
        max_length=100,
        help_text="A label matches every plan label that begins with it, ignoring case.",
        error_messages={"required": "Enter the plan's label", "max_length": too_long("The label", 100)},
    )
    status = forms.ChoiceField(
        label="Reads as",
        choices=MilestoneStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the status it reads as",
            "invalid_choice": "Choose one of the statuses",
        },
    )


class ExceptionReportForm(forms.Form):
    as_of = SensibleDateField(
        label="As of",
        error_name="The report's date",
        required=False,
        widget=AddressDateInput,
    )
    since = SensibleDateField(
        label="Compare with the position on",
        error_name="The previous report's date",
        required=False,
        widget=AddressDateInput,
        help_text="The previous report's date. Leave empty for four weeks earlier.",
    )

    def clean(self):
        cleaned = super().clean()
        as_of, since = cleaned.get("as_of"), cleaned.get("since")
        if as_of and since and since >= as_of:
            self.add_error("since", "The previous report's date must be before the report's date")
        return cleaned
