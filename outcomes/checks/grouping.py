"""The checks page's view of the findings: folded into one line per criterion, grouped by outcome or by
who must act, filtered by severity and rule, each with only the actions the reader may take.

The checks say who must act on a finding (`Finding.fixed_by`); this module names them, from the plan's
criteria and outcomes read once (two queries, whatever the number of findings), and asks
`outcomes.permissions` which of a finding's links the reader may follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import Resolver404, resolve, reverse

from core.people import display_name
from outcomes import permissions
from outcomes.checks.findings import Finding, FixedBy
from outcomes.models import Assessment, Outcome, ReportingPeriod, SuccessCriterion

GROUP_BY_OUTCOME = "outcome"
GROUP_BY_PERSON = "person"
GROUPINGS = {GROUP_BY_OUTCOME: "Outcome", GROUP_BY_PERSON: "Who must act"}

ROLE_LABELS = {FixedBy.OWNER: "Officer", FixedBy.LEAD_DIRECTOR: "Lead Director"}


@dataclass(frozen=True)
class Actor:
    """Who must act on a finding. `person` is None for the Programme Office, or an owner not yet named."""

    fixed_by: str
    person: object | None = None
    last_chased: dt.datetime | None = None

    @property
    def key(self) -> tuple:
        return (self.fixed_by, getattr(self.person, "pk", None))

    @property
    def sentence(self) -> str:
        """What the page says, e.g. "Lead Director Jane Smith must sign off"."""
        if self.fixed_by == FixedBy.PROGRAMME_OFFICE:
            return "The Programme Office must correct the period’s Summary"
        if self.person is None:
            return "No one owns this criterion: assign an owner in the admin"
        name = f"{ROLE_LABELS[self.fixed_by]} {display_name(self.person)}"
        if self.fixed_by == FixedBy.LEAD_DIRECTOR:
            return f"{name} must sign off"
        return f"{name} must update it"

    @property
    def heading(self) -> str:
        if self.fixed_by == FixedBy.PROGRAMME_OFFICE:
            return "Programme Office"
        if self.person is None:
            return "No owner assigned"
        return f"{display_name(self.person)} ({ROLE_LABELS[self.fixed_by]})"


@dataclass
class FindingItem:
    finding: Finding
    fix_url: str = ""  # empty: the reader cannot use the page that fixes it
    acknowledge: dict | None = None  # the view's acknowledge form, for a warning


@dataclass
class FindingLine:
    """One criterion (or outcome, or the period's Summary) and every finding on it, folded into one line."""

    subject: str
    history_url: str = ""
    items: list[FindingItem] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    chase_here: list[Actor] = field(default_factory=list)  # those not already chased from the group's head

    @property
    def rule_labels(self) -> list[str]:
        return list(dict.fromkeys(item.finding.rule_label for item in self.items))

    @property
    def blocking(self) -> int:
        return sum(1 for item in self.items if item.finding.blocks)

    @property
    def warnings(self) -> int:
        return len(self.items) - self.blocking

    @property
    def anchor(self) -> str:
        return "line-" + "".join(c if c.isalnum() else "-" for c in self.subject)


@dataclass
class FindingGroup:
    key: str
    heading: str
    actor: Actor | None = None  # grouped by who must act: them
    lead: Actor | None = None  # grouped by outcome: its Lead Director
    lines: list[FindingLine] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(line.items) for line in self.lines)

    @property
    def head(self) -> Actor | None:
        """Who is chased from the top of the group: its person, or the outcome's Lead Director when
        they must act on one of its lines; none for the Programme Office."""
        if self.actor is not None:
            return self.actor if self.actor.person is not None else None
        if self.lead is not None and any(
            actor.key == self.lead.key for line in self.lines for actor in line.actors
        ):
            return self.lead
        return None


@dataclass(frozen=True)
class PlanPeople:
    """The plan's criteria and outcomes with their owners and Lead Directors: two queries."""

    criteria: dict[str, SuccessCriterion]  # by reference
    outcomes: dict[int, Outcome]  # by number
    last_chased: dict[int, dt.datetime]

    @classmethod
    def for_period(cls, period: ReportingPeriod, *, last_chased: dict[int, dt.datetime]) -> PlanPeople:
        outcomes = {
            outcome.number: outcome
            for outcome in Outcome.objects.filter(plan_id=period.plan_id).select_related("lead_director")
        }
        by_pk = {outcome.pk: outcome for outcome in outcomes.values()}
        criteria = {}
        for criterion in SuccessCriterion.objects.filter(outcome__plan_id=period.plan_id).select_related(
            "owner"
        ):
            criterion.outcome = by_pk[criterion.outcome_id]  # already read: no query per criterion
            criteria[criterion.reference] = criterion
        return cls(criteria=criteria, outcomes=outcomes, last_chased=last_chased)

    def actor(self, finding: Finding) -> Actor:
        if finding.fixed_by == FixedBy.PROGRAMME_OFFICE:
            return Actor(FixedBy.PROGRAMME_OFFICE)
        if finding.fixed_by == FixedBy.LEAD_DIRECTOR:
            outcome = self.outcomes.get(finding.outcome_number)
            person = outcome.lead_director if outcome else None
        else:
            criterion = self.criteria.get(finding.criterion_reference)
            person = criterion.owner if criterion else None
        return Actor(
            finding.fixed_by, person, self.last_chased.get(person.pk) if person is not None else None
        )


def _usable_fix_url(finding: Finding, *, user, period: ReportingPeriod, people: PlanPeople) -> str:
    """The finding's link, if the reader may use the page it leads to; else nothing."""
    try:
        match = resolve(finding.fix_url)
    except Resolver404:
        return ""
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    if name == "outcomes:assessment_edit":
        criterion = people.criteria.get(finding.criterion_reference)
        if criterion is None:
            return ""
        assessment = Assessment(pk=match.kwargs.get("pk"), criterion=criterion, period=period)
        return finding.fix_url if permissions.can_edit_assessment(user, assessment) else ""
    if name == "outcomes:signoff_outcome":
        outcome = people.outcomes.get(finding.outcome_number)
        if outcome is None:
            return ""
        return finding.fix_url if permissions.can_sign_off_outcome(user, outcome, period) else ""
    if name == "admin:outcomes_reportingperiod_change":
        return finding.fix_url if permissions.can_correct_in_admin(user, "reportingperiod") else ""
    return ""  # the checks page itself, or a page this reader has no use for


def _history_url(subject: str, *, user, people: PlanPeople) -> str:
    criterion = people.criteria.get(subject)
    if criterion is None or not permissions.can_view_history(user, criterion):
        return ""
    return reverse("outcomes:criterion_history", args=[criterion.pk])


def _subject(finding: Finding) -> str:
    if finding.criterion_reference:
        return finding.criterion_reference
    if finding.outcome_number is not None:
        return f"Outcome {finding.outcome_number}"
    return "The period’s Summary"


def filtered(findings: Iterable[Finding], *, severity: str = "", rule: str = "") -> list[Finding]:
    return [
        finding
        for finding in findings
        if (not severity or finding.severity == severity) and (not rule or finding.rule == rule)
    ]


def grouped(
    findings: Iterable[Finding], *, by: str, user, period: ReportingPeriod, people: PlanPeople
) -> list[FindingGroup]:
    """Fold findings (in report order) into lines per subject, and the lines into groups."""
    groups: dict[str, FindingGroup] = {}
    lines: dict[tuple[str, str], FindingLine] = {}
    for finding in findings:
        actor = people.actor(finding)
        if by == GROUP_BY_PERSON:
            key = f"{actor.fixed_by}-{getattr(actor.person, 'pk', 'none')}"
            group = groups.setdefault(key, FindingGroup(key=key, heading=actor.heading, actor=actor))
        else:
            number = finding.outcome_number
            outcome = people.outcomes.get(number) if number is not None else None
            key = f"outcome-{number}" if number is not None else "period"
            if key not in groups:
                heading = f"Outcome {number}: {outcome.title}" if outcome else "The period as a whole"
                lead = (
                    Actor(
                        FixedBy.LEAD_DIRECTOR,
                        outcome.lead_director,
                        people.last_chased.get(outcome.lead_director_id),
                    )
                    if outcome is not None and outcome.lead_director is not None
                    else None
                )
                groups[key] = FindingGroup(key=key, heading=heading, lead=lead)
            group = groups[key]
        subject = _subject(finding)
        line = lines.get((key, subject))
        if line is None:
            line = FindingLine(subject=subject, history_url=_history_url(subject, user=user, people=people))
            lines[(key, subject)] = line
            group.lines.append(line)
        line.items.append(
            FindingItem(finding, fix_url=_usable_fix_url(finding, user=user, period=period, people=people))
        )
        if actor.key not in {known.key for known in line.actors}:
            line.actors.append(actor)
    ordered = list(groups.values())
    for group in ordered:
        head_pk = group.head.person.pk if group.head else None
        for line in group.lines:
            line.chase_here = [a for a in line.actors if a.person is not None and a.person.pk != head_pk]
    if by == GROUP_BY_PERSON:
        # People by name; the unowned and the Programme Office's own work last.
        ordered.sort(key=lambda g: (g.actor.person is None, g.heading.lower()))
    return ordered
