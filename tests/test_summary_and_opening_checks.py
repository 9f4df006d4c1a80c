"""The two checks that would have caught the rest of the council's original: a Summary that credits the
wrong outcomes with movement or leaves movers out, and an assessment that starts mid-sentence (4d)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outcomes.checks import Rule, period_check
from outcomes.models import ReportingPeriod
from outcomes.selectors import period_get
from outcomes.services import period_reopen

OUTCOME_10_CLAIM = (
    "Improvements in responsiveness to poor performance have seen a positive direction of travel, where the "
    "new Assistant Director of HR and OD has embarked on a review of performance management which, subject "
    "to approval, will be rolled out during 2025/26."
)


@pytest.fixture
def december(thurrock):
    return period_get(slug="2024-25-q3")


def keys(period, *rules) -> list[str]:
    return [f.key for f in period_check(period=period_get(slug=period.slug)).findings if f.rule in rules]


def set_summary(period, text: str) -> None:
    ReportingPeriod.objects.filter(pk=period.pk).update(report_summary=text)


def test_the_programme_office_is_warned_the_summary_credits_outcome_10_which_did_not_move(december):
    (finding,) = [f for f in period_check(period=december).findings if f.rule == Rule.SUMMARY_CREDITS_UNMOVED]

    assert finding.key == "summary-credits-unmoved-outcome:10"
    assert "credits outcome 10 (responsiveness to poor performance) with movement" in finding.explanation
    assert finding.fix_url == reverse("admin:outcomes_reportingperiod_change", args=[december.pk])


def test_the_warning_about_outcome_10_goes_once_the_summary_no_longer_claims_movement(december):
    assert OUTCOME_10_CLAIM in december.report_summary
    set_summary(
        december,
        december.report_summary.replace(
            OUTCOME_10_CLAIM,
            "On responsiveness to poor performance, the new Assistant Director of HR and OD has begun a "
            "review of performance management, to be rolled out during 2025/26 subject to approval.",
        ),
    )

    assert keys(december, Rule.SUMMARY_CREDITS_UNMOVED) == []


def test_movers_the_summary_never_mentions_are_named_11b_12a_and_12b(december):
    assert keys(december, Rule.SUMMARY_OMITS_MOVER) == [
        "summary-omits-mover:11b",
        "summary-omits-mover:12a",
        "summary-omits-mover:12b",
    ]


def test_movers_the_summary_does_mention_are_not_findings(december):
    # 6e (risk management, Thames Freeport), 9f and 9h (financial management) and 11d (peer challenge)
    # are described in the council's Summary.
    flagged = {key.rsplit(":", 1)[1] for key in keys(december, Rule.SUMMARY_OMITS_MOVER)}

    assert not flagged & {"6e", "9f", "9h", "11d"}


def test_the_unnamed_movers_warning_goes_once_the_summary_names_them(december):
    set_summary(
        december,
        december.report_summary + "\n\nCriteria 11b, 12a and 12b also improved, from Amber to Green.",
    )

    assert keys(december, Rule.SUMMARY_OMITS_MOVER) == []


def test_an_assessment_starting_mid_sentence_is_a_warning_about_4d(december):
    (finding,) = [f for f in period_check(period=december).findings if f.rule == Rule.STARTS_MID_SENTENCE]

    assert finding.key == "starts-mid-sentence:4d"
    assert "starts in the middle of a sentence" in finding.explanation
    assert not finding.blocks


def test_the_mid_sentence_warning_goes_once_4d_is_corrected(december):
    assessment = december.assessments.get(criterion__outcome__number=4, criterion__letter="d")
    assessment.narrative = "Complaint" + assessment.narrative.removeprefix("complaint")
    assessment.save()

    assert keys(december, Rule.STARTS_MID_SENTENCE) == []


def test_the_movers_are_shown_beside_the_summary_where_it_is_edited(client, admin_user, december):
    # A published summary is read-only; the Programme Office re-opens December to correct it.
    period_reopen(period=december, by=admin_user, reason="The summary does not name 11b, 12a or 12b.")
    client.force_login(admin_user)

    page = client.get(reverse("admin:outcomes_reportingperiod_change", args=[december.pk])).content.decode()

    summary_at = page.index('name="report_summary"')
    movers_at = page.index("Criteria that moved since last period")
    assert summary_at < movers_at
    for reference in ("6e", "9f", "9h", "11b", "12a", "12b", "11d"):
        assert f"{reference} (" in page[movers_at:]
