"""The criteria list's filters: one period's assessments, narrowed by plan structure and rating.

Every filter's choices are read once per request, so validating and rendering the form costs
the same whichever filters are set. The period's plan decides the priority, workstream,
outcome and owner choices; they are kept between requests until the plan's data moves on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.choices import BaseChoiceIterator

from core.generation import cached_render, generation_of_periods
from core.people import display_name_of
from core.rag import NOT_RATED, NOT_RATED_VALUE, RAG_ORDER, RAG_STYLES, Movement
from outcomes.models import Assessment, AssessmentStatus, Outcome, ReportingPeriod, SuccessCriterion
from plans.models import Direction, Priority, Workstream
from reporting.selectors import assessment_rows, movement_condition, period_before, period_default

# The rating filter's value for "not rated" in forms and links (?rag=none), said once here; the
# rating it selects is core.rag.NOT_RATED_VALUE.
NOT_RATED_CHOICE = "none"
NO_OWNER = "none"
MOVEMENT_CHOICES = [(move.value, move.label) for move in (Movement.UP, Movement.DOWN, Movement.SAME)]
SEARCH_MAX_LENGTH = 200


def _rag_rank():
    """This period's rating as its rank in core.rag (not rated, then red, amber, green)."""
    return Case(
        *(When(rag=rag, then=Value(RAG_STYLES[rag].rank)) for rag in RAG_ORDER),
        default=Value(NOT_RATED.rank),
        output_field=IntegerField(),
    )


def _movement_rank():
    """Declined, unchanged, improved; criteria with nothing to compare come after all three."""
    return Case(
        When(movement_condition(Movement.DOWN), then=Value(0)),
        When(movement_condition(Movement.SAME), then=Value(1)),
        When(movement_condition(Movement.UP), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


REPORT_ORDER = ("criterion__outcome__number", "criterion__letter")


@dataclass(frozen=True)
class SortColumn:
    """A column the list can be sorted by (`?sort=key`, or `?sort=-key` for the reverse)."""

    key: str
    label: str

    def ordering(self, *, descending: bool) -> list:
        first = {
            "ref": [F("criterion__outcome__number"), F("criterion__letter")],
            "outcome": [F("criterion__outcome__title")],
            "owner": [
                F("criterion__owner__first_name"),
                F("criterion__owner__last_name"),
                F("criterion__owner__username"),
            ],
            "rag": [F("rag_rank")],
            "movement": [F("movement_rank")],
        }[self.key]
        first = [term.desc(nulls_last=True) if descending else term.asc(nulls_last=True) for term in first]
        return [*first, *REPORT_ORDER]


SORT_COLUMNS = {
    column.key: column
    for column in (
        SortColumn("ref", "Ref"),
        SortColumn("outcome", "Outcome"),
        SortColumn("owner", "Owner"),
        SortColumn("rag", "This period"),
        SortColumn("movement", "Travel"),
    )
}
DEFAULT_SORT = "ref"


@dataclass(frozen=True)
class SortHeader:
    """One sortable header as the page shows it: its aria-sort and the link that sorts by it."""

    column: SortColumn
    aria_sort: str  # "ascending", "descending" or "none"
    link_sort: str  # the ?sort= value its link asks for

    @property
    def link_words(self) -> str:
        return "descending" if self.link_sort.startswith("-") else "ascending"


class FixedChoices(BaseChoiceIterator):
    """A filter's options, read once per request and never changed.

    Each form deep-copies its fields, and Django normalises a list of choices again on every
    read; at 100 × Thurrock that is 1,700 options copied and rebuilt for every page of the
    list. These are already (value, label) pairs, so every copy of the form shares them.
    """

    def __init__(self, pairs):
        self.pairs = tuple(pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __deepcopy__(self, memo) -> FixedChoices:
        return self


def _choice(
    label: str, *, empty: str | None, what: str, required: bool = False
) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        label=label,
        required=required,
        method="filter_choice",
        empty_label=empty,
        null_label=None,
        error_messages={"invalid_choice": f"Select {what} from the list"},  # noqa: S608 - not SQL
    )


class CriteriaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search criteria and assessments",
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Words in a success criterion or its assessment of progress this period",
        error_messages={"max_length": f"Search for {SEARCH_MAX_LENGTH} characters or fewer"},
    )
    period = _choice("Period", empty=None, what="a period you may see", required=True)
    priority = _choice("Priority", empty="Any priority", what="a priority")
    workstream = _choice("Workstream", empty="Any workstream", what="a workstream")
    direction = _choice("Direction", empty="Any Direction", what="a Direction")
    outcome = _choice("Outcome", empty="Any outcome", what="an outcome")
    rag = _choice("Rating this period", empty="Any rating", what="a rating")
    movement = _choice("Direction of travel", empty="Any direction of travel", what="a direction of travel")
    owner = _choice("Owner", empty="Anyone", what="an owner")
    status = _choice("Update status", empty="Any status", what="a status")

    class Meta:
        model = Assessment
        fields: list[str] = []

    def __init__(self, data=None, *, periods: Sequence[ReportingPeriod], **kwargs):
        """`periods` are those the reader may see; the list defaults to the latest published."""
        data = data.copy() if data is not None else None
        self.periods = list(periods)
        default = period_default(periods=self.periods)
        if data is not None and not data.get("period") and default is not None:
            data["period"] = default.slug
        super().__init__(data, queryset=Assessment.objects.none(), **kwargs)
        by_slug = {p.slug: p for p in self.periods}
        asked = by_slug.get((data or {}).get("period", ""))
        # Choices come from the chosen period's plan, or the default's if the choice is bad.
        self.period = asked or default
        self.previous = period_before(period=self.period, periods=self.periods) if self.period else None
        # An unknown sort is not an error: the list keeps its usual order.
        asked_sort = (data or {}).get("sort", "")
        self.sort_descending = asked_sort.startswith("-")
        self.sort_key = asked_sort.removeprefix("-") if asked_sort.removeprefix("-") in SORT_COLUMNS else ""
        if not self.sort_key:
            self.sort_descending = False
        self._set_choices(plan_id=self.period.plan_id if self.period else None)

    # ------------------------------------------------------------------ choices

    def _set_choices(self, *, plan_id: int | None) -> None:
        choices = {
            "period": [(p.slug, _period_label(p)) for p in self.periods],
            **_plan_choices(plan_id=plan_id),
        }
        choices["rag"] = [(rag, RAG_STYLES[rag].label) for rag in RAG_ORDER] + [
            (NOT_RATED_CHOICE, "Not rated")
        ]
        choices["movement"] = MOVEMENT_CHOICES
        choices["status"] = AssessmentStatus.choices
        for name, pairs in choices.items():
            self.filters[name].extra["choices"] = FixedChoices(pairs)

    # ------------------------------------------------------------------ filtering

    @property
    def qs(self) -> QuerySet[Assessment]:
        if not hasattr(self, "_qs"):
            if self.period is None or (self.is_bound and not self.is_valid()):
                self._qs = Assessment.objects.none()
            else:
                self.queryset = assessment_rows(period=self.period, previous=self.previous)
                rows = self.filter_queryset(self.queryset.all()) if self.is_bound else self.queryset
                self._qs = self._sorted(rows)
        return self._qs

    def _sorted(self, rows: QuerySet[Assessment]) -> QuerySet[Assessment]:
        if not self.sort_key:
            return rows
        if self.sort_key == "rag":
            rows = rows.annotate(rag_rank=_rag_rank())
        elif self.sort_key == "movement":
            rows = rows.annotate(movement_rank=_movement_rank())
        return rows.order_by(*SORT_COLUMNS[self.sort_key].ordering(descending=self.sort_descending))

    def sort_headers(self) -> dict[str, SortHeader]:
        """Each sortable column's header: sorted ones say which way; a link sorts it (or reverses it)."""
        current = self.sort_key or DEFAULT_SORT
        headers = {}
        for key, column in SORT_COLUMNS.items():
            if key == current:
                aria_sort = "descending" if self.sort_descending else "ascending"
                link_sort = key if self.sort_descending else f"-{key}"
            else:
                aria_sort, link_sort = "none", key
            headers[key] = SortHeader(column=column, aria_sort=aria_sort, link_sort=link_sort)
        return headers

    def filter_search(self, queryset: QuerySet[Assessment], name: str, value: str) -> QuerySet[Assessment]:
        """Every word must appear in the criterion's text or this period's assessment, any case."""
        for word in value.split():
            queryset = queryset.filter(Q(criterion__text__icontains=word) | Q(narrative__icontains=word))
        return queryset

    def filter_choice(self, queryset: QuerySet[Assessment], name: str, value: str) -> QuerySet[Assessment]:
        if name == "period":
            return queryset  # already one period: see `qs`
        if name == "priority":
            claimed = Outcome.objects.filter(claimed_by_objectives__workstream__priority_id=value)
            return queryset.filter(criterion__outcome__in=claimed)
        if name == "workstream":
            claimed = Outcome.objects.filter(claimed_by_objectives__workstream_id=value)
            return queryset.filter(criterion__outcome__in=claimed)
        if name == "direction":
            claimed = Outcome.objects.filter(claimed_by_objectives__directions__letter=value)
            return queryset.filter(criterion__outcome__in=claimed)
        if name == "outcome":
            return queryset.filter(criterion__outcome_id=value)
        if name == "rag":
            return queryset.filter(rag=NOT_RATED_VALUE if value == NOT_RATED_CHOICE else value)
        if name == "movement":
            return queryset.filter(movement_condition(value))
        if name == "owner":
            if value == NO_OWNER:
                return queryset.filter(criterion__owner__isnull=True)
            return queryset.filter(criterion__owner_id=value)
        if name == "status":
            return queryset.filter(status=value)
        raise ValueError(f"No filter called {name}")

    # ------------------------------------------------------------------ for the page

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, chosen value's words) for every filter set besides the period."""
        if not self.is_bound or not self.is_valid():
            return []
        chosen = []
        for name, bound_field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if name == "period" or value in (None, ""):
                continue
            if name == "q":
                chosen.append(("Search", f"“{value}”"))
                continue
            words = dict(bound_field.choices).get(value, value)
            chosen.append((bound_field.label, str(words)))
        return chosen


def _plan_choices(*, plan_id: int | None) -> dict[str, list[tuple[str, str]]]:
    """The choices the plan's structure and people decide, kept until a row outside the periods
    changes (core.generation's shared counter): at 100 × Thurrock they are 1,700 options whose
    reading and labelling was a fifth of the list's time, on every page of it, for every reader."""
    if plan_id is None:
        return {name: [] for name in ("priority", "workstream", "direction", "outcome", "owner")}
    kept = cached_render(
        key_parts=("criteria-filter-choices", plan_id),
        render=lambda: json.dumps(_read_plan_choices(plan_id=plan_id)),
        generation_value=generation_of_periods([]),
    )
    return {name: [tuple(pair) for pair in pairs] for name, pairs in json.loads(kept).items()}


def _read_plan_choices(*, plan_id: int) -> dict[str, list[tuple[str, str]]]:
    """Five queries, each reading only what a label needs."""
    priorities = (
        Priority.objects.filter(plan_id=plan_id).order_by("number").values_list("pk", "number", "title")
    )
    workstreams = (
        Workstream.objects.filter(priority__plan_id=plan_id)
        .order_by("priority__number", "number")
        .values_list("pk", "priority__number", "number", "title")
    )
    outcomes = Outcome.objects.filter(plan_id=plan_id).order_by("number").values_list("pk", "number", "title")
    # No DISTINCT over every criterion they own.
    owners = (
        get_user_model()
        .objects.filter(pk__in=SuccessCriterion.objects.filter(outcome__plan_id=plan_id).values("owner_id"))
        .order_by("first_name", "last_name", "username")
        .values_list("pk", "first_name", "last_name", "username")
    )
    return {
        "priority": [(str(pk), f"{number}. {title}") for pk, number, title in priorities],
        "workstream": [
            (str(pk), f"{priority}.{number} {title}") for pk, priority, number, title in workstreams
        ],
        "direction": [
            (letter, f"{letter}: {title}")
            for letter, title in Direction.objects.order_by("letter").values_list("letter", "title")
        ],
        "outcome": [(str(pk), f"{number}. {title}") for pk, number, title in outcomes],
        "owner": [
            (str(pk), display_name_of(first_name=first, last_name=last, username=username))
            for pk, first, last, username in owners
        ]
        + [(NO_OWNER, "No owner")],
    }


def _period_label(period: ReportingPeriod) -> str:
    if period.is_published:
        return period.title
    return f"{period.title} (draft: {period.get_state_display().lower()})"
