"""Pre-publication checks: each rule fires on the fault it names and stays silent otherwise.

The Programme Office runs the checks before publishing a period; Thurrock's real December 2024
report (4b's assessment copied from 3f's) is the case that motivated them.
"""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outcomes import services
from outcomes.checks import (
    CHECK_QUERIES,
    NEAR_DUPLICATE_THRESHOLD,
    Rule,
    Severity,
    pair_scores,
    period_check,
    period_rows,
)
from outcomes.exceptions import InvalidTransition, NotAllowed, PublicationBlocked, ReasonRequired
from outcomes.models import (
    AssessmentStatus,
    CheckAcknowledgement,
    OutcomeSummary,
    PeriodState,
    ReportingPeriod,
)
from outcomes.scale import build_synthetic_plan
from reporting.render.xlsx_checks import HEADINGS
from tests.factories import (
    AssessmentFactory,
    OutcomeFactory,
    PlanFactory,
    ReportingPeriodFactory,
    SuccessCriterionFactory,
)
from tests.scenarios import DISTINCT_NARRATIVES, TEXT_3F, TEXT_4B, PublishablePlan


@pytest.fixture
def plan(db):
    return PublishablePlan()


def test_a_period_ready_to_publish_has_no_findings(plan):
    result = period_check(period=plan.current)
    assert result.findings == ()
    assert result.can_publish


# --- A criterion with no RAG or no narrative; an outcome with no summary; not approved ---------


def test_a_criterion_without_a_rating_blocks_publication(plan):
    plan.set("2a", rag="")
    (finding,) = plan.findings(Rule.MISSING_RAG)
    assert finding.severity == Severity.BLOCKS
    assert finding.criterion_reference == "2a"
    assert finding.key == "missing-rag:2a"
    assert "2a has no RAG rating" in finding.explanation


def test_rated_criteria_raise_no_missing_rating(plan):
    assert plan.findings(Rule.MISSING_RAG) == []


def test_a_criterion_without_an_assessment_of_progress_blocks_publication(plan):
    plan.set("1b", narrative="   \n ")
    (finding,) = plan.findings(Rule.MISSING_NARRATIVE)
    assert finding.severity == Severity.BLOCKS
    assert finding.criterion_reference == "1b"
    assert "no assessment of progress" in finding.explanation


def test_criteria_with_narratives_raise_no_missing_narrative(plan):
    assert plan.findings(Rule.MISSING_NARRATIVE) == []


def test_an_assessment_not_yet_approved_blocks_publication(plan):
    plan.set("3a", status=AssessmentStatus.SUBMITTED)
    (finding,) = plan.findings(Rule.NOT_APPROVED)
    assert finding.severity == Severity.BLOCKS
    assert finding.criterion_reference == "3a"
    assert "submitted, not approved" in finding.explanation


def test_approved_assessments_raise_nothing_about_approval(plan):
    assert plan.findings(Rule.NOT_APPROVED) == []


def test_a_criterion_with_no_assessment_row_is_reported_as_unrated_and_unapproved(plan):
    plan.assessments[(2, "2b")].delete()
    rules = {f.rule for f in plan.findings() if f.criterion_reference == "2b"}
    assert rules == {Rule.MISSING_RAG, Rule.MISSING_NARRATIVE, Rule.NOT_APPROVED}


def test_an_outcome_without_a_lead_director_summary_blocks_publication(plan):
    OutcomeSummary.objects.filter(period=plan.current, outcome=plan.outcomes[2]).update(text="")
    OutcomeSummary.objects.filter(period=plan.current, outcome=plan.outcomes[3]).delete()
    findings = plan.findings(Rule.MISSING_SUMMARY)
    assert [(f.outcome_number, f.severity) for f in findings] == [(2, Severity.BLOCKS), (3, Severity.BLOCKS)]
    assert findings[0].subject == "Outcome 2"
    assert "Outcome 2 has no Lead Director Summary" in findings[0].explanation


def test_outcomes_with_summaries_raise_no_missing_summary(plan):
    assert plan.findings(Rule.MISSING_SUMMARY) == []


# --- Copy-paste between criteria ----------------------------------------------------------------


def test_a_narrative_word_for_word_the_same_as_another_criterions_blocks_and_names_both(plan):
    copied = plan.assessments[(2, "1a")].narrative
    plan.set("2b", narrative=copied.upper().replace(" ", "  ").rstrip(".") + "!")
    (finding,) = plan.findings(Rule.DUPLICATE)
    assert finding.severity == Severity.BLOCKS
    assert finding.key == "duplicate:2b:1a"
    assert (finding.criterion_reference, finding.related_reference) == ("2b", "1a")
    assert "2b’s assessment of progress is word for word the same as 1a’s" in finding.explanation


def test_short_stock_phrases_repeated_across_criteria_are_not_copy_paste(plan):
    plan.set("1a", narrative="As at 1st Report.")
    plan.set("2b", narrative="As at 1st Report.")
    plan.set("3a", narrative="On track, no change since last report.")
    plan.set("2a", narrative="On track, no change since last report.")
    assert plan.findings(Rule.DUPLICATE) == []
    assert plan.findings(Rule.NEAR_DUPLICATE) == []


def test_a_narrative_mostly_copied_from_another_criterions_is_a_warning_naming_both(plan):
    plan.set("1b", narrative=TEXT_3F)
    plan.set("2b", narrative=TEXT_4B)
    (finding,) = plan.findings(Rule.NEAR_DUPLICATE)
    assert finding.severity == Severity.WARNING
    assert finding.key == "near-duplicate:2b:1b"
    assert (
        "2b’s assessment of progress is nearly the same as 1b’s (77% of the shorter text"
        in finding.explanation
    )


def test_narratives_sharing_a_phrase_but_saying_different_things_are_not_near_duplicates(plan):
    shared = "The performance management review is currently under way."
    plan.set("1a", narrative=f"{shared} {DISTINCT_NARRATIVES['1a']}")
    plan.set("2b", narrative=f"{shared} {DISTINCT_NARRATIVES['2b']}")
    assert plan.findings(Rule.NEAR_DUPLICATE) == []
    assert plan.findings(Rule.DUPLICATE) == []


def test_a_pasted_paragraph_inside_a_longer_narrative_is_a_near_duplicate(plan):
    pasted = f"{DISTINCT_NARRATIVES['2a']} Quarter 3 of the plan."
    plan.set("3a", narrative=f"{pasted} {DISTINCT_NARRATIVES['3a']}")
    (finding,) = plan.findings(Rule.NEAR_DUPLICATE)
    assert (finding.criterion_reference, finding.related_reference) == ("3a", "2a")
    assert "(100% of the shorter text is in both)" in finding.explanation


# --- Against the same criterion's previous narrative ----------------------------------------------


def test_a_narrative_identical_to_last_periods_but_not_marked_carried_forward_is_a_warning(plan):
    plan.set("1a", narrative=plan.assessments[(1, "1a")].narrative)
    (finding,) = plan.findings(Rule.SAME_AS_PREVIOUS)
    assert finding.severity == Severity.WARNING
    assert finding.criterion_reference == "1a"
    assert "same as last period’s (Sept 24) but is not marked as carried forward" in finding.explanation


def test_a_narrative_identical_to_last_periods_and_marked_carried_forward_is_fine(plan):
    plan.set("1a", narrative=plan.assessments[(1, "1a")].narrative, carried_forward=True)
    assert plan.findings() == []


def test_new_text_quoting_last_periods_beneath_it_is_not_the_same_as_last_period(plan):
    # As the council's report does: a pointer sentence and news, then last period's text in italics.
    plan.set(
        "1a",
        rag="G",
        narrative="The position is assessed as being the same as 1st Report (see below italics). "
        "The committee has since adopted the new statement.",
        quotes_previous=True,
    )
    assert plan.findings() == []


def test_quoting_last_periods_text_beneath_the_same_text_warns_it_would_print_twice(plan):
    plan.set("1a", narrative=plan.assessments[(1, "1a")].narrative, quotes_previous=True)
    (finding,) = plan.findings(Rule.SAME_AS_PREVIOUS)
    assert finding.severity == Severity.WARNING
    assert "also quoted beneath it, so the report would print it twice" in finding.explanation


def test_an_empty_previous_narrative_is_never_the_same_as_this_one(plan):
    # Thurrock's September 2024 narratives are empty for 52 criteria: nothing to compare with.
    plan.set("1a", period=1, narrative="")
    plan.set("1a", narrative="")
    assert plan.findings(Rule.SAME_AS_PREVIOUS) == []
    assert [f.rule for f in plan.findings()] == [Rule.MISSING_NARRATIVE]


def test_carried_forward_for_three_periods_in_a_row_is_a_warning(plan):
    text = plan.assessments[(0, "2a")].narrative
    plan.set("2a", period=0, carried_forward=True)
    plan.set("2a", period=1, narrative=text, carried_forward=True)
    plan.set("2a", period=2, narrative=text, carried_forward=True)
    (finding,) = plan.findings(Rule.CARRIED_FORWARD_STREAK)
    assert finding.severity == Severity.WARNING
    assert finding.criterion_reference == "2a"
    assert "carried forward unchanged for 3 periods in a row (Jun 24, Sept 24, Dec 24)" in finding.explanation


def test_carried_forward_for_two_periods_is_not_yet_a_streak(plan):
    plan.set("2a", period=2, narrative=plan.assessments[(1, "2a")].narrative, carried_forward=True)
    assert plan.findings(Rule.CARRIED_FORWARD_STREAK) == []
    plan.set("2a", period=0, carried_forward=True)  # a break in the middle restarts the count
    plan.set(
        "2a", period=1, narrative="A fresh assessment of whistleblowing and audit.", carried_forward=False
    )
    plan.set(
        "2a", period=2, narrative="A fresh assessment of whistleblowing and audit.", carried_forward=True
    )
    assert plan.findings(Rule.CARRIED_FORWARD_STREAK) == []


# --- RAG movement against the narrative --------------------------------------------------------


def test_a_rating_that_moved_one_step_while_the_narrative_did_not_change_is_a_warning(plan):
    plan.set("1b", rag="G", narrative=plan.assessments[(1, "1b")].narrative, carried_forward=True)
    (finding,) = plan.findings(Rule.RAG_MOVED_NARRATIVE_UNCHANGED)
    assert finding.severity == Severity.WARNING
    assert (
        "rating moved from Amber to Green, but its assessment of progress is unchanged" in finding.explanation
    )


def test_a_rating_that_moved_with_a_new_narrative_is_fine(plan):
    plan.set("1b", rag="G", narrative="Internal audit completed all planned reviews and closed every action.")
    assert plan.findings() == []


def test_an_unchanged_rating_with_an_unchanged_narrative_is_only_a_carry_forward(plan):
    plan.set("1b", narrative=plan.assessments[(1, "1b")].narrative, carried_forward=True)
    assert plan.findings(Rule.RAG_MOVED_NARRATIVE_UNCHANGED) == []
    assert plan.findings(Rule.RAG_JUMP_UNEXPLAINED) == []


def test_a_jump_from_red_to_green_with_the_narrative_unchanged_blocks_publication(plan):
    plan.set("3a", period=1, rag="R")
    plan.set("3a", rag="G", narrative=plan.assessments[(1, "3a")].narrative)
    (finding,) = plan.findings(Rule.RAG_JUMP_UNEXPLAINED)
    assert finding.severity == Severity.BLOCKS
    assert "moved two steps, from Red to Green" in finding.explanation
    assert plan.findings(Rule.RAG_MOVED_NARRATIVE_UNCHANGED) == []


def test_a_jump_from_green_to_red_without_any_narrative_is_one_missing_narrative_naming_the_move(plan):
    plan.set("3a", period=1, rag="G")
    plan.set("3a", rag="R", narrative="")
    (finding,) = plan.findings()
    assert finding.rule == Rule.MISSING_NARRATIVE
    assert "moved two steps, from Green to Red, so Cabinet needs the reason" in finding.explanation


def test_a_jump_from_red_to_green_explained_by_a_new_narrative_is_fine(plan):
    plan.set("3a", period=1, rag="R")
    plan.set("3a", rag="G", narrative="Whistleblowing cases are now all closed within the target of 28 days.")
    assert plan.findings() == []


# --- The result ----------------------------------------------------------------------------------


def test_findings_list_blocking_ones_first_in_report_order(plan):
    plan.set("1b", narrative=TEXT_3F)
    plan.set("2b", narrative=TEXT_4B)
    plan.set("3a", rag="")
    plan.set("1a", status=AssessmentStatus.DRAFT)
    keys = [f.key for f in plan.findings()]
    assert keys == ["not-approved:1a", "missing-rag:3a", "near-duplicate:2b:1b"]


def test_each_finding_links_to_where_it_is_fixed(plan):
    plan.set("1a", status=AssessmentStatus.DRAFT)
    plan.set("3a", rag="")
    OutcomeSummary.objects.filter(period=plan.current, outcome=plan.outcomes[2]).update(text="")
    by_rule = {f.rule: f for f in plan.findings()}
    signoff = reverse("outcomes:signoff_outcome", args=[plan.current.slug, plan.outcomes[1].pk])
    assert by_rule[Rule.NOT_APPROVED].fix_url == signoff
    assert by_rule[Rule.NOT_APPROVED].fix_label == "Approve 1a on outcome 1’s sign-off page"
    edit = reverse("outcomes:assessment_edit", args=[plan.assessments[(2, "3a")].pk])
    assert (by_rule[Rule.MISSING_RAG].fix_url, by_rule[Rule.MISSING_RAG].fix_label) == (
        edit,
        "Change 3a’s assessment",
    )
    summary = reverse("outcomes:signoff_outcome", args=[plan.current.slug, plan.outcomes[2].pk])
    assert by_rule[Rule.MISSING_SUMMARY].fix_url == summary


def test_the_check_runs_on_a_period_with_no_earlier_period(db):
    period = ReportingPeriodFactory(plan=PlanFactory())
    criterion = SuccessCriterionFactory(outcome=OutcomeFactory(plan=period.plan))
    AssessmentFactory(period=period, criterion=criterion, rag="R", narrative="Word " * 20, status="approved")
    result = period_check(period=period)
    assert [f.rule for f in result.findings] == [Rule.MISSING_SUMMARY]


# --- Queries do not grow with the data ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("factor", [1, 100])
def test_the_check_uses_the_same_number_of_queries_at_61_and_6100_criteria(
    db, django_assert_num_queries, factor
):
    plan = build_synthetic_plan(factor=factor, periods=2)
    period = ReportingPeriod.objects.filter(plan=plan).order_by("-end").first()
    with django_assert_num_queries(CHECK_QUERIES):
        result = period_check(period=period)
    assert len(result.findings) >= 1  # the open period's unapproved assessments


# --- Thurrock's real data -------------------------------------------------------------------------


@pytest.fixture
def december(thurrock):
    return ReportingPeriod.objects.get(slug="2024-25-q3")


@pytest.fixture
def september(thurrock):
    return ReportingPeriod.objects.get(slug="2024-25-q2")


def test_thurrock_december_2024_reports_4b_as_a_near_copy_of_3f(december):
    result = period_check(period=december)
    finding = result.finding("near-duplicate:4b:3f")
    assert finding is not None
    assert finding.severity == Severity.WARNING
    assert (finding.criterion_reference, finding.related_reference) == ("4b", "3f")
    assert "4b’s assessment of progress is nearly the same as 3f’s" in finding.explanation
    assert not result.can_publish


def test_thurrock_december_2024_findings_are_the_copied_narratives_and_nothing_else(december):
    # 10a, 10c and 12b open with the same two sentences on the performance management review:
    # genuinely shared text, reported as warnings the Programme Office can acknowledge.
    # The Summary and 4d's truncated opening are the other faults of the council's original (issue 17).
    result = period_check(period=december)
    assert [f.key for f in result.findings] == [
        "near-duplicate:4b:3f",
        "starts-mid-sentence:4d",
        "summary-credits-unmoved-outcome:10",
        "near-duplicate:10c:10a",
        "summary-omits-mover:11b",
        "summary-omits-mover:12a",
        "near-duplicate:12b:10a",
        "near-duplicate:12b:10c",
        "summary-omits-mover:12b",
    ]
    assert result.blocking == []


def test_thurrock_december_carried_forward_narratives_are_not_findings(december):
    carried = {"3a", "4a", "7d", "7h", "9i", "11e"}
    result = period_check(period=december)
    assert not carried & {f.criterion_reference for f in result.findings}


def test_thurrock_december_narratives_quoting_september_are_not_findings(december):
    rows = {row.reference: row for row in period_rows(period=december).criteria}
    assert {ref for ref, row in rows.items() if row.quotes_previous} == {"3b", "3e", "11c"}
    assert not any(rows[ref].narrative_unchanged for ref in ("3b", "3e", "11c"))
    result = period_check(period=december)
    assert not {"3b", "3e", "11c"} & {f.criterion_reference for f in result.findings}


def test_thurrock_similarity_scores_put_the_copied_narratives_clear_of_the_rest(december, september):
    top = pair_scores(period_rows(period=december).criteria)[:10]
    for score, _, later, earlier in top[:10]:
        print(f"{score:.3f} {later} ~ {earlier}")
    assert [(later, earlier) for _, _, later, earlier in top[:4]][0] == ("4b", "3f")
    assert round(top[0][0], 3) == 0.768
    assert min(score for score, *_ in top[:4]) > NEAR_DUPLICATE_THRESHOLD + 0.2
    assert max(score for score, *_ in top[4:]) < NEAR_DUPLICATE_THRESHOLD - 0.2
    assert max(score for score, *_ in pair_scores(period_rows(period=september).criteria)) < 0.05


def test_thurrock_september_2024_lacks_the_first_reports_narratives_and_summaries(september):
    result = period_check(period=september)
    rules = [f.rule for f in result.findings]
    assert rules.count(Rule.MISSING_NARRATIVE) == 52
    assert rules.count(Rule.MISSING_SUMMARY) == 12
    assert len(rules) == 64


# --- Exported with the draft report --------------------------------------------------------------


def _workbook(period):
    from openpyxl import load_workbook

    from reporting.builder import report_build
    from reporting.render.xlsx import render

    return load_workbook(io.BytesIO(render(report_build(period=period))))


def test_the_draft_reports_excel_has_a_checks_sheet_for_chasing_owners(plan, settings):
    settings.SITE_URL = "https://irp.example.gov.uk"
    plan.set("1b", narrative=TEXT_3F)
    plan.set("2b", narrative='=HYPERLINK("http://evil.example") ' + TEXT_4B)
    plan.set("3a", status=AssessmentStatus.SUBMITTED)
    CheckAcknowledgement.objects.create(
        period=plan.current,
        finding_key="near-duplicate:2b:1b",
        reason="=Both criteria report the same meeting.",
        acknowledged_at=timezone.now(),
    )
    sheet = _workbook(plan.current)["Checks"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(HEADINGS)
    body = rows[header + 1 :]
    assert [(r[0], r[1], r[7]) for r in body] == [
        ("Blocks publication", "3a", "not-approved:3a"),
        ("Warning – acknowledged", "2b", "near-duplicate:2b:1b"),
    ]
    assert body[1][4] == "=Both criteria report the same meeting."
    fix = body[0][6]  # a full link, so the sheet can be emailed to owners
    signoff = reverse("outcomes:signoff_outcome", args=[plan.current.slug, plan.outcomes[3].pk])
    assert fix == f"https://irp.example.gov.uk{signoff}"
    assert sheet.cell(row=header + 2, column=7).hyperlink.target == fix
    assert "1 finding block publication" in " ".join(str(v) for r in rows[:header] for v in r if v)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_published_reports_excel_has_no_checks_sheet(plan):
    plan.current.state = PeriodState.PUBLISHED
    plan.current.save()
    assert "Checks" not in _workbook(plan.current).sheetnames


# --- Acknowledging a warning; publishing ------------------------------------------------------------


@pytest.fixture
def copied(plan):
    """The plan, with 2b's narrative mostly copied from 1b's (a warning) and nothing else wrong."""
    plan.set("1b", narrative=TEXT_3F)
    plan.set("2b", narrative=TEXT_4B)
    return plan


def test_a_warning_acknowledged_with_a_reason_no_longer_stops_publication(copied, programme_office):
    assert [f.key for f in period_check(period=copied.current).publication_blockers] == [
        "near-duplicate:2b:1b"
    ]

    services.check_acknowledge(
        period=copied.current,
        finding_key="near-duplicate:2b:1b",
        by=programme_office,
        reason="Both criteria are answered by the same whips meeting.",
    )

    result = period_check(period=copied.current)
    assert result.can_publish
    ((finding, acknowledgement),) = result.acknowledged_warnings
    assert finding.key == "near-duplicate:2b:1b"
    assert acknowledgement.reason == "Both criteria are answered by the same whips meeting."
    record = CheckAcknowledgement.history.get()
    assert record.history_user == programme_office
    assert record.history_change_reason.startswith("Acknowledged: Both criteria")


def test_acknowledging_again_replaces_the_reason_and_keeps_the_old_one_in_history(copied, programme_office):
    for reason in ("First reason.", "Better reason."):
        services.check_acknowledge(
            period=copied.current, finding_key="near-duplicate:2b:1b", by=programme_office, reason=reason
        )
    assert CheckAcknowledgement.objects.get().reason == "Better reason."
    assert [h.reason for h in CheckAcknowledgement.history.order_by("history_date")] == [
        "First reason.",
        "Better reason.",
    ]


def test_a_warning_cannot_be_acknowledged_without_a_reason(copied, programme_office):
    with pytest.raises(ReasonRequired, match="Enter a reason for acknowledging this warning"):
        services.check_acknowledge(
            period=copied.current, finding_key="near-duplicate:2b:1b", by=programme_office, reason="  \n "
        )
    assert not CheckAcknowledgement.objects.exists()


def test_a_blocking_finding_cannot_be_acknowledged_it_must_be_fixed(plan, programme_office):
    plan.set("3a", rag="")
    with pytest.raises(InvalidTransition, match="The finding on 3a blocks publication, so it must be fixed"):
        services.check_acknowledge(
            period=plan.current, finding_key="missing-rag:3a", by=programme_office, reason="We know."
        )
    assert not CheckAcknowledgement.objects.exists()


def test_a_finding_that_no_longer_applies_cannot_be_acknowledged(plan, programme_office):
    with pytest.raises(InvalidTransition, match="no longer applies"):
        services.check_acknowledge(
            period=plan.current, finding_key="near-duplicate:2b:1b", by=programme_office, reason="Fine."
        )


@pytest.mark.parametrize("role", ["officer", "lead_director", "commissioner", "democratic_services"])
def test_only_the_programme_office_acknowledges_warnings(copied, request, role):
    with pytest.raises(NotAllowed):
        services.check_acknowledge(
            period=copied.current,
            finding_key="near-duplicate:2b:1b",
            by=request.getfixturevalue(role),
            reason="I say so.",
        )
    assert not CheckAcknowledgement.objects.exists()


def test_publishing_with_an_unacknowledged_warning_is_refused_and_allowed_once_acknowledged(
    copied, programme_office
):
    with pytest.raises(PublicationBlocked) as refused:
        services.period_publish(period=copied.current, by=programme_office)
    assert [f.key for f in refused.value.blockers] == ["near-duplicate:2b:1b"]
    copied.current.refresh_from_db()
    assert copied.current.state == PeriodState.CLOSED

    services.check_acknowledge(
        period=copied.current, finding_key="near-duplicate:2b:1b", by=programme_office, reason="Same meeting."
    )
    services.period_publish(period=copied.current, by=programme_office)
    copied.current.refresh_from_db()
    assert copied.current.state == PeriodState.PUBLISHED


def test_publishing_with_a_blocking_finding_is_refused_until_it_is_fixed(plan, programme_office):
    plan.set("3a", status=AssessmentStatus.SUBMITTED)
    with pytest.raises(PublicationBlocked):
        services.period_publish(period=plan.current, by=programme_office)
    plan.set("3a", status=AssessmentStatus.APPROVED)
    services.period_publish(period=plan.current, by=programme_office)


def test_thurrock_december_2024_is_not_republished_until_4b_copied_from_3f_is_acknowledged(
    december, programme_office
):
    # Loaded as published; as if re-opened and closed again, it is a candidate for publication.
    ReportingPeriod.objects.filter(pk=december.pk).update(state=PeriodState.CLOSED)
    december.refresh_from_db()

    with pytest.raises(PublicationBlocked) as refused:
        services.period_publish(period=december, by=programme_office)
    assert "near-duplicate:4b:3f" in [f.key for f in refused.value.blockers]

    services.check_acknowledge(
        period=december,
        finding_key="near-duplicate:4b:3f",
        by=programme_office,
        reason="Published as Cabinet received it; 4b's own assessment follows in the next report.",
    )
    with pytest.raises(PublicationBlocked) as refused:
        services.period_publish(period=december, by=programme_office)
    remaining = [f.key for f in refused.value.blockers]
    copied = ["near-duplicate:10c:10a", "near-duplicate:12b:10a", "near-duplicate:12b:10c"]
    assert [key for key in remaining if key.startswith("near-duplicate")] == copied

    for key in remaining:
        services.check_acknowledge(
            period=december,
            finding_key=key,
            by=programme_office,
            reason="One performance management review answers 10a, 10c and 12b.",
        )
    services.period_publish(period=december, by=programme_office)
    december.refresh_from_db()
    assert december.is_published


def test_thurrock_december_2024_publishes_once_4b_is_fixed(december, programme_office):
    ReportingPeriod.objects.filter(pk=december.pk).update(state=PeriodState.CLOSED)
    december.refresh_from_db()
    december.assessments.filter(criterion__outcome__number=4, criterion__letter="b").update(
        narrative="Complaints are reported quarterly to Audit Committee with trends by service."
    )
    result = period_check(period=december)
    assert result.finding("near-duplicate:4b:3f") is None
    assert [f.key for f in result.publication_blockers if f.rule == Rule.NEAR_DUPLICATE] == [
        "near-duplicate:10c:10a",
        "near-duplicate:12b:10a",
        "near-duplicate:12b:10c",
    ]


# --- The checks page -------------------------------------------------------------------------------


def checks_url(period) -> str:
    return reverse("outcomes:period_checks", args=[period.slug])


def acknowledge_url(period) -> str:
    return reverse("outcomes:check_acknowledge", args=[period.slug])


def test_the_programme_office_sees_each_criterions_findings_folded_into_one_line(
    copied, client, programme_office
):
    copied.set("3a", rag="")
    client.force_login(programme_office)
    response = client.get(checks_url(copied.current))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3a: No RAG rating</span>" in page
    assert "3a has no RAG rating for this period." in page
    # The Programme Office cannot edit an officer's update: no link it would be refused at.
    edit = reverse("outcomes:assessment_edit", args=[copied.assessments[(2, "3a")].pk])
    assert edit not in page
    assert reverse("outcomes:criterion_history", args=[copied.criteria["3a"].pk]) in page
    assert "2b: Nearly the same text as another criterion</span>" in page
    assert "2b’s assessment of progress is nearly the same as 1b’s" in page
    assert f'action="{acknowledge_url(copied.current)}"' in page
    assert 'name="finding_key" value="near-duplicate:2b:1b"' in page
    assert "This period cannot be published yet: 1 finding blocks publication and 1 warning is" in page
    assert ">Run checks</button>" in page


@pytest.mark.parametrize("role", ["lead_director", "commissioner", "democratic_services"])
def test_other_readers_of_draft_periods_see_the_findings_but_cannot_acknowledge(
    copied, client, request, role
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(checks_url(copied.current))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2b’s assessment of progress is nearly the same as 1b’s" in page
    assert acknowledge_url(copied.current) not in page
    assert "may instead be acknowledged by the Programme Office" in page


def test_officers_may_not_see_a_periods_checks(plan, client, officer):
    client.force_login(officer)
    response = client.get(checks_url(plan.current))
    assert response.status_code == 403


def test_an_unknown_period_has_no_checks_page(plan, client, programme_office):
    client.force_login(programme_office)
    assert client.get("/periods/2099-00-q9/checks/").status_code == 404


def test_acknowledging_a_warning_on_the_page_records_the_reason_and_moves_it(
    copied, client, programme_office
):
    client.force_login(programme_office)
    response = client.post(
        acknowledge_url(copied.current),
        {"finding_key": "near-duplicate:2b:1b", "reason": "Both report the same whips meeting."},
        follow=True,
    )
    assert response.redirect_chain == [(checks_url(copied.current), 302)]
    page = response.content.decode()
    assert "Warning acknowledged. It no longer stops publication." in page
    acknowledged = page.split('id="acknowledged"')[1]
    assert "Both report the same whips meeting." in acknowledged
    assert "Nothing stops publication: every warning has been acknowledged." in page
    assert CheckAcknowledgement.objects.get().acknowledged_by == programme_office


def test_acknowledging_without_a_reason_shows_the_error_and_saves_nothing(copied, client, programme_office):
    client.force_login(programme_office)
    response = client.post(
        acknowledge_url(copied.current), {"finding_key": "near-duplicate:2b:1b", "reason": " "}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#ack-near-duplicate-2b-1b-reason">Enter a reason for acknowledging this warning' in page
    assert '<details class="govuk-details govuk-!-margin-bottom-2" open>' in page
    assert not CheckAcknowledgement.objects.exists()


def test_acknowledging_a_blocking_finding_on_the_page_is_refused_with_a_readable_reason(
    plan, client, programme_office
):
    plan.set("3a", rag="")
    client.force_login(programme_office)
    response = client.post(
        acknowledge_url(plan.current), {"finding_key": "missing-rag:3a", "reason": "Fine."}
    )
    assert response.status_code == 422
    assert "The finding on 3a blocks publication, so it must be fixed" in response.content.decode()
    assert not CheckAcknowledgement.objects.exists()


@pytest.mark.parametrize("role", ["officer", "lead_director", "commissioner", "democratic_services"])
def test_a_forged_acknowledgement_from_anyone_but_the_programme_office_is_forbidden(
    copied, client, request, role
):
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        acknowledge_url(copied.current), {"finding_key": "near-duplicate:2b:1b", "reason": "x"}
    )
    assert response.status_code == 403
    assert not CheckAcknowledgement.objects.exists()


def test_acknowledging_is_a_post(copied, client, programme_office):
    client.force_login(programme_office)
    assert client.get(acknowledge_url(copied.current)).status_code == 405


@pytest.mark.slow
def test_the_checks_page_uses_the_same_number_of_queries_at_61_and_6100_criteria(
    db, client, programme_office
):
    client.force_login(programme_office)
    counts = []
    for factor in (1, 100):
        period = ReportingPeriod.objects.filter(plan=build_synthetic_plan(factor=factor, periods=2)).last()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(checks_url(period))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_publish_page_refuses_with_how_many_findings_block_and_a_link_to_the_checks(
    copied, client, programme_office
):
    copied.set("3a", rag="")
    client.force_login(programme_office)
    response = client.post(reverse("outcomes:period_publish", args=[copied.current.slug]))
    assert response.status_code == 409
    page = response.content.decode()
    assert (
        f'<a href="{checks_url(copied.current)}">This period cannot be published yet: '
        "1 finding must be fixed and 1 warning must be fixed or acknowledged. "
        "See the pre-publication checks.</a>"
    ) in page
    assert "3a has no RAG rating for this period." in page
    assert "2b’s assessment of progress is nearly the same as 1b’s" in page
    copied.current.refresh_from_db()
    assert copied.current.state == PeriodState.CLOSED


def test_the_publish_page_publishes_once_every_warning_is_acknowledged(copied, client, programme_office):
    client.force_login(programme_office)
    client.post(
        acknowledge_url(copied.current),
        {"finding_key": "near-duplicate:2b:1b", "reason": "Same whips meeting."},
    )
    response = client.post(reverse("outcomes:period_publish", args=[copied.current.slug]))
    assert response.status_code == 302
    copied.current.refresh_from_db()
    assert copied.current.state == PeriodState.PUBLISHED
