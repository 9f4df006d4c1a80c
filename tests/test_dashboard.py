"""A commissioner sees in a minute where the plan stands, and drills down to the evidence."""

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.rag import Movement, movement
from outcomes.models import AssessmentStatus, PeriodState
from reporting.selectors import dashboard_build, periods_readable
from tests.factories import (
    AssessmentFactory,
    OutcomeFactory,
    PlanFactory,
    SuccessCriterionFactory,
    UserFactory,
    quarter_period,
)

DASHBOARD = "/dashboard/"


@pytest.fixture
def small_plan(db):
    """Two outcomes, five criteria, September and December published, March open."""
    plan = PlanFactory(slug="small-plan", title="Small Improvement Plan")
    owner = UserFactory(username="sam", first_name="Sam", last_name="Owner", role=Role.OFFICER)
    sept = quarter_period(
        plan, "s-q2", end=dt.date(2024, 9, 30), state=PeriodState.PUBLISHED, is_baseline=True
    )
    dec = quarter_period(plan, "s-q3", end=dt.date(2024, 12, 31), state=PeriodState.PUBLISHED)
    mar = quarter_period(plan, "s-q4", end=dt.date(2025, 3, 31), state=PeriodState.OPEN)
    one = OutcomeFactory(plan=plan, number=1, title="Improvement in assurance")
    two = OutcomeFactory(plan=plan, number=2, title="Improvement in risk management")
    # reference: (Sept, Dec, March status)
    shape = {
        (one, "a"): ("A", "G", AssessmentStatus.APPROVED),
        (one, "b"): ("G", "A", AssessmentStatus.SUBMITTED),
        (one, "c"): ("R", "R", AssessmentStatus.DRAFT),
        (two, "a"): ("A", "A", AssessmentStatus.NOT_STARTED),
        (two, "b"): ("R", "A", AssessmentStatus.RETURNED),
    }
    for (outcome, letter), (sept_rag, dec_rag, status) in shape.items():
        criterion = SuccessCriterionFactory(
            outcome=outcome, letter=letter, text=f"Criterion {outcome.number}{letter} is met.", owner=owner
        )
        AssessmentFactory(period=sept, criterion=criterion, rag=sept_rag, status=AssessmentStatus.APPROVED)
        AssessmentFactory(
            period=dec,
            criterion=criterion,
            rag=dec_rag,
            status=AssessmentStatus.APPROVED,
            narrative=f"December narrative for {outcome.number}{letter}.",
        )
        AssessmentFactory(period=mar, criterion=criterion, rag="", status=status)
    return plan


def _page(client, user, url=DASHBOARD, **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def _text(page: str) -> str:
    """The page's visible words, tags removed and spaces collapsed, for reading assertions."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_someone_without_a_role_is_refused(client, small_plan, make_user):
    response, _ = _page(client, make_user(None, username="nobody"))
    assert response.status_code == 403


def test_commissioner_sees_the_latest_published_period_by_default(client, small_plan, commissioner):
    response, page = _page(client, commissioner)
    assert response.status_code == 200
    assert "Dashboard: Quarter to December 2024" in page
    assert "app-draft-banner__label" not in page


def test_every_role_can_read_the_published_dashboard(client, small_plan, make_user):
    for role in Role.values:
        response, page = _page(client, make_user(role, username=f"u-{role}"))
        assert response.status_code == 200, role
        assert "Dashboard: Quarter to December 2024" in page


def test_commissioner_may_open_the_open_period_as_a_draft(client, small_plan, commissioner):
    response, page = _page(client, commissioner, period="s-q4")
    assert response.status_code == 200
    assert "Dashboard: Quarter to March 2025" in page
    assert "app-draft-banner__label" in page


def test_officer_cannot_see_the_open_period_or_its_completion(client, small_plan, officer):
    response, _ = _page(client, officer, period="s-q4")
    assert response.status_code == 403
    response, page = _page(client, officer)
    assert response.status_code == 200
    assert "Updates for Quarter to March 2025" not in page
    assert "Quarter to March 2025" not in page  # not even in the period chooser


def test_an_unknown_period_is_not_found(client, small_plan, commissioner):
    response, _ = _page(client, commissioner, period="no-such-period")
    assert response.status_code == 404


def test_counts_and_their_change_since_last_period(client, small_plan, commissioner):
    _, page = _page(client, commissioner)
    text = _text(page)
    # December: R 1 (was 2), A 3 (was 2), G 1 (was 1)
    assert "1 Red (R) Down 1 since last period (was 2)" in text
    assert "3 Amber (A) Up 1 since last period (was 2)" in text
    assert "1 Green (G) No change since last period (was 1)" in text


def test_direction_of_travel_lists_improved_declined_and_unchanged_with_owners(
    client, small_plan, commissioner
):
    response, page = _page(client, commissioner)
    data = response.context["dashboard"]
    groups = {group.key: group for group in data.movements}
    assert [row.reference for row in groups["up"].rows] == ["1a", "2b"]
    assert [row.reference for row in groups["down"].rows] == ["1b"]
    assert [row.reference for row in groups["same"].rows] == ["1c", "2a"]
    assert {row.owner_name for row in groups["up"].rows} == {"Sam Owner"}
    text = _text(page)
    assert "Improved 2" in text and "Declined 1" in text and "Unchanged 2" in text
    assert "Criterion 1b is met." in page


def test_red_criteria_show_owner_and_this_periods_narrative(client, small_plan, commissioner):
    _, page = _page(client, commissioner)
    text = _text(page)
    assert "Red criteria (1)" in text
    assert "December narrative for 1c." in page
    assert "Sam Owner" in page


def test_completion_of_the_open_period_for_those_who_may_see_drafts(client, small_plan, commissioner):
    response, page = _page(client, commissioner)
    completion = response.context["completion"]
    assert (completion.approved, completion.submitted, completion.missing) == (1, 1, 3)
    text = _text(page)
    assert "Updates for Quarter to March 2025" in text
    assert "1 Approved" in text and "1 Submitted, awaiting sign-off" in text
    assert "3 Missing (not yet submitted)" in text


def test_trend_covers_every_period_up_to_the_one_shown(client, small_plan, commissioner):
    response, page = _page(client, commissioner, period="s-q4")
    labels = [point.period.short_label for point in response.context["dashboard"].trend]
    assert labels == ["Sept 24", "Dec 24", "Mar 25"]
    # Share per period in the table next to the chart: Dec 24 is R 1 of 5 = 20%.
    assert "1 (20%)" in page


def test_per_outcome_bars_count_each_outcomes_criteria(client, small_plan, commissioner):
    response, _ = _page(client, commissioner)
    bars = {bar.number: bar.counts for bar in response.context["dashboard"].outcome_bars}
    assert (bars[1].red, bars[1].amber, bars[1].green) == (1, 1, 1)
    assert (bars[2].red, bars[2].amber, bars[2].green) == (0, 2, 0)


def test_charts_are_svg_with_a_text_alternative_letters_patterns_and_a_table(
    client, small_plan, commissioner
):
    _, page = _page(client, commissioner)
    svgs = re.findall(r"<svg [^>]*role=\"img\"[^>]*>.*?</svg>", page, flags=re.S)
    charts = [svg for svg in svgs if "aria-labelledby" in svg]
    assert len(charts) == 2
    for svg in charts:
        labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        for element_id in labelled_by:
            assert f'id="{element_id}"' in svg  # the <title> and <desc> it names are inside
        assert "<title id=" in svg and "<desc id=" in svg
        assert "-rag-hatch)" in svg  # red is hatched, not only red
        assert re.search(r">R( \d+%?)?</text>", svg)  # and carries its letter
    assert 'id="outcome-bars-table"' in page and 'id="rag-trend-table"' in page
    assert "<script" not in page.split("</footer>")[0]  # no inline script in the page body
    assert 'style="' not in page


def test_user_text_in_charts_is_escaped(client, small_plan, commissioner):
    from outcomes.models import Outcome

    Outcome.objects.filter(number=1).update(title='<script>alert("x")</script>')
    _, page = _page(client, commissioner)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_long_lists_stop_at_the_limit_but_count_everything(small_plan, commissioner):
    periods = periods_readable(user=commissioner)
    dec = next(p for p in periods if p.slug == "s-q3")
    data = dashboard_build(period=dec, periods=periods, limit=1)
    up = next(group for group in data.movements if group.key == "up")
    assert up.count == 2 and len(up.rows) == 1 and up.is_truncated


def test_criteria_link_to_their_history_page(client, small_plan, commissioner):
    from outcomes.models import SuccessCriterion

    red = SuccessCriterion.objects.get(outcome__number=1, letter="c")
    _, page = _page(client, commissioner)
    history = reverse("outcomes:criterion_history", args=[red.pk])
    assert f'<a class="govuk-link" href="{history}">1c<span class="govuk-visually-hidden">' in page


def test_criteria_without_a_rating_in_both_periods_are_counted_as_not_compared(
    client, small_plan, commissioner
):
    from outcomes.models import Assessment

    Assessment.objects.filter(
        period__slug="s-q3", criterion__letter="a", criterion__outcome__number=2
    ).update(rag="")
    response, page = _page(client, commissioner)
    assert response.context["dashboard"].not_compared == 1
    assert "Not compared" in page


# --------------------------------------------------------------------------- Thurrock

SOURCE_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _second_report():
    from tests.seed_sources.second_report import parse_second_report

    return parse_second_report(next(SOURCE_FOLDER.glob("003_*.txt")))


def test_december_2024_dashboard_agrees_with_the_second_reports_outcome_tables(
    client, thurrock, commissioner
):
    report = _second_report()
    criteria = [(o["number"], c) for o in report["outcomes"] for c in o["criteria"]]
    expected = Counter(c["current"] for _, c in criteria)
    summary_counts = Counter(row["current"] for row in report["summary_table"].values())
    assert expected != summary_counts  # the hand-assembled summary table disagrees (1c, 7b)
    moves = {f"{n}{c['letter']}": movement(c["previous"], c["current"]) for n, c in criteria}

    response, page = _page(client, commissioner)
    assert response.status_code == 200
    data = response.context["dashboard"]
    assert data.period.slug == "2024-25-q3"
    assert (data.counts.red, data.counts.amber, data.counts.green) == (
        expected["R"],
        expected["A"],
        expected["G"],
    )
    groups = {group.key: group for group in data.movements}
    declined = {row.reference for row in groups["down"].rows}
    improved = {row.reference for row in groups["up"].rows}
    assert declined == {ref for ref, move in moves.items() if move == Movement.DOWN}
    assert improved == {ref for ref, move in moves.items() if move == Movement.UP}
    assert "11d" in declined
    assert {"6e", "9f", "9h"} <= improved
    text = _text(page)
    assert f"{expected['R']} Red (R)" in text
    assert f"{expected['G']} Green (G)" in text


def test_the_dashboard_shows_a_change_as_soon_as_it_is_saved(client, thurrock, commissioner):
    """The dashboard is cached, but any saved change to the data makes a fresh one."""
    import re

    from outcomes.models import Assessment

    def card_values(page: str) -> list[str]:
        return re.findall(r'<span class="app-stat__value">(\d+)</span>', page)[:3]

    client.force_login(commissioner)
    assert card_values(client.get("/dashboard/?period=2024-25-q3").content.decode()) == ["1", "33", "27"]
    assessment = Assessment.objects.get(
        period__slug="2024-25-q3", criterion__outcome__number=6, criterion__letter="c"
    )
    assessment.rag = "G"
    assessment._change_reason = "Test correction"
    assessment.save()
    assert card_values(client.get("/dashboard/?period=2024-25-q3").content.decode()) == ["0", "33", "28"]


def test_an_open_quarter_is_compared_only_over_criteria_rated_in_both(client, small_plan, commissioner):
    from outcomes.models import Assessment

    # March so far: only 1a (green in December) is rated, still green; four are not yet rated.
    Assessment.objects.filter(
        period__slug="s-q4", criterion__letter="a", criterion__outcome__number=1
    ).update(rag="G")
    response, page = _page(client, commissioner, period="s-q4")
    data = response.context["dashboard"]
    amber = next(change for change in data.changes if change.style.letter == "A")
    assert amber.count == 0 and amber.change == 0  # December's three ambers are not "down 3"
    assert data.comparison.not_yet_rated == 4
    text = _text(page)
    assert "each change counts only the 1 criterion rated in both periods: 4 not yet rated" in text
    assert (
        "0 Amber (A) No change since last period among criteria rated in both (0 of them now, was 0)" in text
    )
    assert "Down 3" not in text
    assert (
        "1 Green (G) No change since last period among criteria rated in both (1 of them now, was 1)" in text
    )


def test_an_open_quarter_with_nothing_rated_yet_shows_no_movement(client, small_plan, commissioner):
    response, page = _page(client, commissioner, period="s-q4")
    data = response.context["dashboard"]
    assert [change.change for change in data.changes] == [0, 0, 0]
    assert "each change counts only the 0 criteria rated in both periods: 5 not yet rated" in _text(page)


def test_a_published_period_still_compares_its_final_totals(client, small_plan, commissioner):
    from outcomes.models import Assessment

    # 2a (amber in September) was left unrated at publication. Over the criteria rated in both
    # periods amber would be up 1; the published totals, as the report gives them, are level.
    Assessment.objects.filter(
        period__slug="s-q3", criterion__letter="a", criterion__outcome__number=2
    ).update(rag="")
    response, page = _page(client, commissioner, period="s-q3")
    data = response.context["dashboard"]
    assert data.comparison is None
    amber = next(change for change in data.changes if change.style.letter == "A")
    assert (amber.current, amber.previous, amber.change, amber.like_for_like) == (2, 2, 0, False)
    assert "still being rated" not in page


def test_completion_of_the_open_quarter_comes_first_with_outcomes_signed_off(
    client, small_plan, commissioner
):
    from outcomes.models import Assessment

    Assessment.objects.filter(period__slug="s-q4", criterion__outcome__number=2).update(
        status=AssessmentStatus.APPROVED
    )
    response, page = _page(client, commissioner)
    completion = response.context["completion"]
    assert (completion.outcomes_signed_off, completion.outcomes) == (1, 2)
    text = _text(page)
    assert "1 of 2 outcomes signed off (every update approved)" in text
    assert text.index("Updates for Quarter to March 2025") < text.index("Ratings in Dec 24")


def test_a_save_in_the_open_quarter_keeps_the_published_dashboard_and_recounts_completion(
    client, small_plan, commissioner, monkeypatch
):
    """On deadline day officers save all the time: the published quarter's ratings cannot change,
    so its dashboard is not rebuilt, while the open quarter's completion beside it is counted afresh."""
    import reporting.views.dashboard as dashboard_views
    from outcomes.models import Assessment

    client.force_login(commissioner)
    published = "/dashboard/?period=s-q3"
    assert "1 Approved" in _text(client.get(published).content.decode())

    builds = []
    real_build = dashboard_views.dashboard_build
    monkeypatch.setattr(
        dashboard_views, "dashboard_build", lambda **kw: builds.append(kw["period"].slug) or real_build(**kw)
    )
    waiting = Assessment.objects.filter(period__slug="s-q4", status=AssessmentStatus.SUBMITTED).first()
    waiting.status = AssessmentStatus.APPROVED
    waiting.save()

    text = _text(client.get(published).content.decode())
    assert builds == []
    assert "2 Approved" in text
    client.get("/dashboard/?period=s-q4")
    assert builds == ["s-q4"]
