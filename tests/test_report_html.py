"""Reading the quarterly outcome report in the browser, and downloading it for an agenda pack."""

from __future__ import annotations

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.generation import generation_bump
from outcomes.models import Assessment, OutcomeSummary, PeriodState, ReportingPeriod
from outcomes.scale import build_synthetic_plan
from tests.seed_sources import second_report_source
from tests.seed_sources.second_report import parse_second_report


@pytest.fixture
def december(thurrock):
    return ReportingPeriod.objects.get(slug="2024-25-q3")


def page_text(response) -> str:
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def report_url(period) -> str:
    return reverse("reporting:report", args=[period.slug])


def test_an_officer_reads_the_published_december_report_with_every_narrative(client, officer, december):
    client.force_login(officer)

    response = client.get(report_url(december))

    assert response.status_code == 200
    text = page_text(response)
    assert "Second Report on Outcomes and Success Criteria" in text
    for heading in (
        "Purpose",
        "Summary",
        "Note on definitions",
        "Lead Director Summary",
        "Assessment of Progress",
    ):
        assert heading in text
    assert "RAG – Baseline (Sept 24) RAG – last period (Sept 24) RAG – this period (Dec 24)" in text
    if source_path := second_report_source(required=False):
        source = parse_second_report(source_path)
        for outcome in source["outcomes"]:
            for paragraph in outcome["lead_director_summary"].split("\n\n"):
                assert squash(paragraph) in text
            for criterion in outcome["criteria"]:
                for paragraph in criterion["paragraphs"]:
                    # A "- " list item prints as a real list item, without the dash.
                    reference = f"{outcome['number']}{criterion['letter']}"
                    assert squash(paragraph.removeprefix("- ")) in text, reference


def test_the_summary_states_counts_and_movers_computed_from_the_ratings(client, programme_office, december):
    client.force_login(programme_office)
    before = page_text(client.get(report_url(december)))
    assert "This period 61 success criteria are rated: 1 Red, 33 Amber, 27 Green." in before
    assert "Moved down: 11d (Green to Amber)." in before

    Assessment.objects.filter(period=december, criterion__outcome__number=2, criterion__letter="b").update(
        rag="A"
    )
    generation_bump()  # a bulk change skips the save signals; bulk loads move the generation so
    after = page_text(client.get(report_url(december)))

    assert "This period 61 success criteria are rated: 1 Red, 34 Amber, 26 Green." in after
    assert "Moved down: 2b (Green to Amber); 11d (Green to Amber)." in after


def test_ratings_are_shown_as_letters_and_words_not_colour_alone(client, officer, december):
    client.force_login(officer)

    body = client.get(report_url(december)).content.decode()

    assert (
        '<strong class="govuk-tag app-rag app-rag--red">R<span class="govuk-visually-hidden"> Red</span>'
        in body
    )
    assert "↓ Declined" in body and "↑ Improved" in body


def test_each_criterion_links_to_its_history(client, officer, december):
    client.force_login(officer)
    criterion = december.plan.outcomes.get(number=4).criteria.get(letter="b")

    body = client.get(report_url(december)).content.decode()

    assert f'href="{reverse("outcomes:criterion_history", args=[criterion.pk])}"' in body


def test_user_text_is_escaped_never_run(client, officer, december):
    Assessment.objects.filter(period=december, criterion__outcome__number=1, criterion__letter="a").update(
        narrative='<script>alert("x")</script> <b>bold</b>'
    )
    OutcomeSummary.objects.filter(period=december, outcome__number=1).update(
        text="<img src=x onerror=alert(1)>"
    )
    client.force_login(officer)

    body = client.get(report_url(december)).content.decode()

    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_quotations_are_set_apart_beneath_the_officers_words_with_nothing_added(client, officer, december):
    client.force_login(officer)

    body = client.get(report_url(december)).content.decode()

    # Six carried forward; nine quote September's text beneath the council's own sentence.
    assert Assessment.objects.filter(period=december, carried_forward=True).count() == 6
    assert Assessment.objects.filter(period=december).exclude(quoted_text="").count() == 9
    assert body.count('class="app-carried-forward"') == 9
    assert "same as last period" not in body
    assert "From the last report" not in body


def test_septembers_assessment_is_quoted_in_italics_beneath_the_councils_sentence(client, officer, december):
    source = parse_second_report(second_report_source())
    client.force_login(officer)

    body = client.get(report_url(december)).content.decode()

    quoting = {
        f"{o['number']}{c['letter']}": c for o in source["outcomes"] for c in o["criteria"] if c["quoted"]
    }
    assert set(quoting) == {"3a", "3b", "3e", "4a", "7d", "7h", "9i", "11c", "11e"}
    for reference, criterion in quoting.items():
        section = body.split(f'id="criterion-{reference}"', 1)[1].split('id="criterion-', 1)[0]
        new_text, quoted = (
            squash(html.unescape(re.sub(r"<[^>]+>", " ", part)))
            for part in section.split('<div class="app-carried-forward">', 1)
        )
        assert "The position is assessed as being the same as 1st Report (see below italics)." in new_text
        for paragraph in criterion["narrative"].split("\n\n"):
            assert squash(paragraph) in new_text, reference
        for paragraph in criterion["quoted"].split("\n\n"):
            assert squash(paragraph.removeprefix("- ")) in quoted, reference


def test_a_draft_period_is_marked_draft_and_hidden_from_officers(client, officer, programme_office, december):
    december.state = PeriodState.CLOSED
    december.save()

    client.force_login(officer)
    refused = client.get(report_url(december))
    client.force_login(programme_office)
    shown = client.get(report_url(december))

    assert refused.status_code == 403
    assert "draft until it is published" in refused.content.decode()
    assert shown.status_code == 200
    assert 'class="app-draft-banner"' in shown.content.decode()
    assert "Draft" in page_text(shown)


def test_an_unknown_period_is_not_found(client, officer, thurrock):
    client.force_login(officer)

    assert client.get(reverse("reporting:report", args=["1999-00-q1"])).status_code == 404


def test_officers_see_no_downloads_and_cannot_fetch_them(client, officer, december):
    client.force_login(officer)

    body = client.get(report_url(december)).content.decode()
    download = client.get(reverse("reporting:report_download", args=[december.slug, "pdf"]))

    assert "Download this report" not in body
    assert download.status_code == 403


@pytest.mark.parametrize("role", ["democratic_services", "commissioner", "programme_office"])
def test_downloaders_are_offered_every_file_while_the_worker_prepares_it(client, request, role, december):
    client.force_login(request.getfixturevalue(role))

    text = page_text(client.get(report_url(december)))

    for fmt in ("pdf", "docx", "xlsx", "json"):
        assert f"Preparing the {fmt.upper()}… 0 s so far." in text
    assert 'href="/reports/2024-25-q3/files/pdf/?render=' in client.get(report_url(december)).content.decode()


def test_downloaders_see_links_to_every_file_once_the_worker_has_stored_them(
    client, democratic_services, december, django_capture_on_commit_callbacks
):
    client.force_login(democratic_services)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(report_url(december))  # a published period's files are queued; the worker runs

    body = client.get(report_url(december)).content.decode()

    for fmt in ("pdf", "docx", "xlsx", "json"):
        assert f'href="/reports/2024-25-q3/download.{fmt}"' in body
        assert f"outcome-report-2024-25-q3.{fmt}" in body
    assert "Preparing" not in body


@pytest.mark.parametrize(
    "fmt, content_type, magic",
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("json", "application/json", b"{"),
    ],
)
def test_democratic_services_download_each_format_with_a_named_file(
    client, democratic_services, december, fmt, content_type, magic, django_capture_on_commit_callbacks
):
    client.force_login(democratic_services)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:report_export", args=[december.slug, fmt]))

    response = client.get(reverse("reporting:report_download", args=[december.slug, fmt]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="outcome-report-2024-25-q3.{fmt}"'
    assert b"".join(response.streaming_content).startswith(magic)


def test_an_unknown_download_format_is_not_found(client, democratic_services, december):
    client.force_login(democratic_services)

    assert client.get(reverse("reporting:report_download", args=[december.slug, "odt"])).status_code == 404


def test_the_report_list_shows_officers_published_periods_only(
    client, officer, democratic_services, december
):
    december.state = PeriodState.CLOSED
    december.save()

    client.force_login(officer)
    for_officer = page_text(client.get(reverse("reporting:report_list")))
    client.force_login(democratic_services)
    for_democratic_services = client.get(reverse("reporting:report_list")).content.decode()

    assert "Quarter to September 2024" in for_officer
    assert "Quarter to December 2024" not in for_officer
    assert "Quarter to December 2024" in for_democratic_services
    assert 'href="/reports/2024-25-q3/download.pdf"' in for_democratic_services


def test_someone_without_a_role_cannot_read_reports(client, make_user, december):
    client.force_login(make_user(None, username="nobody"))

    assert client.get(reverse("reporting:report_list")).status_code == 403
    assert client.get(report_url(december)).status_code == 403


def test_signing_in_is_required(client, december):
    response = client.get(report_url(december))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_home_page_links_to_each_periods_report(client, officer, december):
    client.force_login(officer)

    body = client.get(reverse("home")).content.decode()

    assert f'href="{report_url(december)}"' in body


def _page_queries(client, period) -> int:
    cache.clear()  # count the queries of building the report, not of reading it kept
    with CaptureQueriesContext(connection) as queries:
        response = client.get(report_url(period))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.slow
def test_the_page_costs_the_same_queries_at_61_and_at_610_criteria(client, commissioner):
    client.force_login(commissioner)
    small = build_synthetic_plan(factor=1, periods=2, slug="small").periods.order_by("end").last()
    large = build_synthetic_plan(factor=10, periods=2, slug="large").periods.order_by("end").last()

    for period in (small, large):
        # Warm the session and per-request caches alike; each period's first reader asks the
        # worker for its stored page, which later readers find asked for.
        _page_queries(client, period)
    assert _page_queries(client, small) == _page_queries(client, large)


def test_the_baseline_report_has_no_last_period_to_show(client, officer, thurrock):
    client.force_login(officer)

    response = client.get(reverse("reporting:report", args=["2024-25-q2"]))

    text = page_text(response)
    assert "First Report on Outcomes and Success Criteria" in text
    assert "RAG – Baseline (Sept 24) RAG – last period RAG – this period (Sept 24)" in text
    assert "This is the baseline period, so there is no earlier rating to compare with." in text
    assert "Not rated" not in text


def test_the_report_is_built_once_for_every_reader_until_its_data_changes(
    client, commissioner, officer, democratic_services, december, monkeypatch
):
    """At 100 × Thurrock a report takes seconds to build: readers after the first are served it kept."""
    import reporting.report_page as report_page

    builds = []
    real_build = report_page.report_build
    monkeypatch.setattr(report_page, "report_build", lambda **kw: builds.append(kw) or real_build(**kw))

    pages = {}
    for reader in (commissioner, officer, democratic_services):
        client.force_login(reader)
        pages[reader] = page_text(client.get(report_url(december)))
    assert len(builds) == 1

    # The kept report is the same for all; the downloads beside it are each reader's own.
    assert all("Lead Director Summary" in text for text in pages.values())
    assert "Download this report" in pages[democratic_services]
    assert "Download this report" not in pages[officer]


def test_a_save_in_the_open_quarter_leaves_the_published_report_kept_and_redraws_the_draft(
    client, programme_office, december, monkeypatch
):
    import reporting.report_page as report_page

    draft = build_synthetic_plan(factor=1, periods=2, slug="kept").periods.order_by("end").last()
    client.force_login(programme_office)
    assert client.get(report_url(december)).status_code == 200
    assert client.get(report_url(draft)).status_code == 200

    builds = []
    real_build = report_page.report_build
    monkeypatch.setattr(
        report_page, "report_build", lambda **kw: builds.append(kw["period"].slug) or real_build(**kw)
    )
    assessment = Assessment.objects.filter(period=draft).first()
    assessment.narrative = "A sentence written after the draft was first read."
    assessment.save()

    assert client.get(report_url(december)).status_code == 200
    redrawn = client.get(report_url(draft))
    assert builds == [draft.slug]
    assert "A sentence written after the draft was first read." in page_text(redrawn)
