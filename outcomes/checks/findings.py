"""What the checks produce: findings, their severity, acknowledgements, the result, where each is fixed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.urls import reverse

from outcomes.checks.rows import CheckedCriterion, CheckedOutcome
from outcomes.models import ReportingPeriod


class Severity(models.TextChoices):
    BLOCKS = "blocks", "Blocks publication"
    WARNING = "warning", "Warning"


class FixedBy:
    """Who must act on a finding: the check says so, and the page names them or offers the chase."""

    OWNER = "owner"  # the criterion's owning officer
    LEAD_DIRECTOR = "lead_director"  # the outcome's Lead Director
    PROGRAMME_OFFICE = "programme_office"  # the period's own Summary


class Rule:
    MISSING_RAG = "missing-rag"
    MISSING_NARRATIVE = "missing-narrative"
    NOT_APPROVED = "not-approved"
    MISSING_SUMMARY = "missing-summary"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near-duplicate"
    SAME_AS_PREVIOUS = "same-as-previous"
    CARRIED_FORWARD_STREAK = "carried-forward-streak"
    RAG_MOVED_NARRATIVE_UNCHANGED = "rag-moved-narrative-unchanged"
    RAG_JUMP_UNEXPLAINED = "rag-jump-unexplained"
    SUMMARY_CREDITS_UNMOVED = "summary-credits-unmoved-outcome"
    SUMMARY_OMITS_MOVER = "summary-omits-mover"
    STARTS_MID_SENTENCE = "starts-mid-sentence"


# What each rule is called where findings are filtered by rule.
RULE_LABELS = {
    Rule.MISSING_RAG: "No RAG rating",
    Rule.MISSING_NARRATIVE: "No assessment of progress",
    Rule.NOT_APPROVED: "Not approved",
    Rule.MISSING_SUMMARY: "No Lead Director Summary",
    Rule.DUPLICATE: "Same text as another criterion",
    Rule.NEAR_DUPLICATE: "Nearly the same text as another criterion",
    Rule.SAME_AS_PREVIOUS: "Same text as last period",
    Rule.CARRIED_FORWARD_STREAK: "Carried forward too long",
    Rule.RAG_MOVED_NARRATIVE_UNCHANGED: "Rating moved, text unchanged",
    Rule.RAG_JUMP_UNEXPLAINED: "Rating jumped without a reason",
    Rule.SUMMARY_CREDITS_UNMOVED: "Summary credits an outcome that did not move",
    Rule.SUMMARY_OMITS_MOVER: "Summary leaves out a criterion that moved",
    Rule.STARTS_MID_SENTENCE: "Starts mid-sentence",
}


@dataclass(frozen=True)
class Finding:
    key: str  # stable across runs: what an acknowledgement refers to
    rule: str
    severity: Severity
    explanation: str
    fix_url: str
    fix_label: str
    criterion_reference: str = ""
    outcome_number: int | None = None
    related_reference: str = ""  # the other criterion of a duplicate pair
    position: tuple = ()  # report order
    fixed_by: str = FixedBy.OWNER

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCKS

    def __str__(self) -> str:
        return f"{self.subject}: {self.explanation}"

    @property
    def message(self) -> str:
        """What the publish page lists (PublicationBlocked.blockers)."""
        return self.explanation

    @property
    def subject(self) -> str:
        return self.criterion_reference or f"Outcome {self.outcome_number}"

    @property
    def rule_label(self) -> str:
        return RULE_LABELS.get(self.rule, self.rule)

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label


@dataclass(frozen=True)
class Acknowledgement:
    finding_key: str
    reason: str
    acknowledged_by: str
    acknowledged_at: dt.datetime


@dataclass(frozen=True)
class CheckResult:
    period_slug: str
    period_title: str
    findings: tuple[Finding, ...]
    acknowledgements: dict[str, Acknowledgement]
    checked_at: dt.datetime

    def acknowledgement(self, finding: Finding) -> Acknowledgement | None:
        if finding.blocks:
            return None
        return self.acknowledgements.get(finding.key)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocks]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.blocks]

    @property
    def unacknowledged_warnings(self) -> list[Finding]:
        return [f for f in self.warnings if f.key not in self.acknowledgements]

    @property
    def acknowledged_warnings(self) -> list[tuple[Finding, Acknowledgement]]:
        return [(f, self.acknowledgements[f.key]) for f in self.warnings if f.key in self.acknowledgements]

    @property
    def publication_blockers(self) -> list[Finding]:
        """What stops publication: every blocking finding and every warning not yet acknowledged."""
        return [f for f in self.findings if f.blocks or f.key not in self.acknowledgements]

    @property
    def can_publish(self) -> bool:
        return not self.publication_blockers

    def finding(self, key: str) -> Finding | None:
        return next((f for f in self.findings if f.key == key), None)


@dataclass
class FixLinks:
    """Where each finding is fixed: the officer's update page, or the outcome's sign-off page (approval and
    the Lead Director Summary). URLs are reversed once and filled in, so 6,000 links stay cheap."""

    assessment_template: str = ""
    outcome_template: str = ""
    fallback: str = ""

    PLACEHOLDER = 987654321

    @classmethod
    def for_period(cls, period: ReportingPeriod) -> FixLinks:
        placeholder = cls.PLACEHOLDER
        return cls(
            assessment_template=reverse("outcomes:assessment_edit", args=[placeholder]),
            outcome_template=reverse("outcomes:signoff_outcome", args=[period.slug, placeholder]),
            fallback=reverse("outcomes:period_checks", args=[period.slug]),
        )

    def assessment(self, row: CheckedCriterion) -> str:
        if row.assessment_id is None or not self.assessment_template:
            return self.fallback
        return self.assessment_template.replace(str(self.PLACEHOLDER), str(row.assessment_id))

    def outcome(self, row: CheckedOutcome | CheckedCriterion) -> str:
        """The outcome's sign-off page, where its Lead Director approves and writes the summary."""
        if not self.outcome_template or row.outcome_id is None:
            return self.fallback
        return self.outcome_template.replace(str(self.PLACEHOLDER), str(row.outcome_id))
