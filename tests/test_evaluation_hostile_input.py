"""Hostile input on the evaluation framework's forms and on the metric importer: whatever arrives,
the answer is a 4xx or a success, never a 5xx, markup is never reflected unescaped, and nothing
changes but what the sender may change. Same pattern and budget as tests/test_hostile_input.py
(1,000 examples each; HYPOTHESIS_HOSTILE_EXAMPLES overrides it for a quick local run)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from outcomes.metric_import import ImportRefused, metric_values_import
from outcomes.models import CommissionerJudgement, EvidenceItem, MeasureEvidence, MetricValue
from tests.evaluation_fixtures import Evaluation
from tests.hostile import CORPUS, HOSTILE, PK, SCALAR, SignedIn, assert_fine, fields, undone


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class World(SignedIn):
    def __init__(self, *, officer, director, commissioner, programme):
        self.evaluation = Evaluation(officer=officer, director=director)
        super().__init__({"director": director, "commissioner": commissioner, "programme": programme})


@pytest.fixture
def world(officer, lead_director, commissioner, programme_office):
    return World(
        officer=officer, director=lead_director, commissioner=commissioner, programme=programme_office
    )


def _others(*, measure_pk: int | None = None) -> tuple:
    """What an evaluation form must not change: metric values, and evidence of other measures."""
    return (
        sorted(MetricValue.objects.values_list("pk", "value", "target", "note")),
        sorted(MeasureEvidence.objects.exclude(measure_id=measure_pk).values_list("pk", "status", "note")),
    )


FILES = st.one_of(
    st.binary(max_size=64),
    st.sampled_from([b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04junk", b"MZ\x90\x00", b""]),
)


@HOSTILE
@given(
    measure=st.one_of(st.sampled_from([1, 2]), PK),
    action=st.sampled_from(["status", "link", "file", "", "other"]),
    data=fields(
        status=["evidenced", "partly", "not_yet", ""],
        note=["Minutes of May."],
        link_title=["Minutes"],
        url=["https://example.gov.uk/a", "javascript:alert(1)", "example.gov.uk"],
        file_title=["Minutes"],
    ),
    content=FILES,
    name=st.one_of(
        st.sampled_from(["a.pdf", "a.docx", "../../x.pdf", "a\x00.pdf", ""]), SCALAR.map(lambda s: s[:200])
    ),
)
def test_evidence_form_survives_anything(world, measure, action, data, content, name):
    evaluation = world.evaluation
    pk = evaluation.measures[measure].pk if measure in (1, 2) else min(measure, 2**31)
    payload = dict(data, action=action)
    if action == "file":
        payload["file"] = SimpleUploadedFile(name or "x", content)
    with undone():
        before = _others(measure_pk=pk)
        url = reverse("outcomes:evidence_edit", args=[evaluation.period.slug, pk])
        response = world.client("director").post(url, payload)
        assert_fine(response, data)
        assert _others(measure_pk=pk) == before
        for item in EvidenceItem.objects.filter(file__gt=""):
            assert item.file.name.rsplit(".", 1)[-1] in ("pdf", "png", "jpg", "docx", "xlsx")


@HOSTILE
@given(
    outcome=st.one_of(st.sampled_from([1, 2]), PK),
    period=st.sampled_from(["last", "period", "missing"]),
    data=fields(rag=["R", "A", "G", ""], commentary=["Assured."]),
)
def test_judgement_form_survives_anything(world, outcome, period, data):
    evaluation = world.evaluation
    pk = evaluation.outcomes[outcome].pk if outcome in (1, 2) else min(outcome, 2**31)
    slug = {"last": evaluation.last.slug, "period": evaluation.period.slug, "missing": "no-such-period"}[
        period
    ]
    with undone():
        before = _others()
        response = world.client("commissioner").post(
            reverse("outcomes:judgement_edit", args=[slug, pk]), data
        )
        assert_fine(response, data)
        assert _others() == before
        assert all(j.rag in ("R", "A", "G") and j.commentary for j in CommissionerJudgement.objects.all())


@HOSTILE
@given(data=fields(for_publication=["yes", "no", ""]))
def test_judgement_publication_form_survives_anything(world, data):
    with undone():
        url = reverse("outcomes:judgement_publication", args=[world.evaluation.last.slug])
        response = world.client("commissioner").post(url, data)
        assert_fine(response, data)


CELLS = st.one_of(
    st.sampled_from(["GOV-01", "GOV-02", "2024-25-q3", "2024-25-q4", "90", "1e3", "", *CORPUS]),
    st.text(max_size=20),
)
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=6), max_size=8)
HEADERS = st.one_of(
    st.just(["metric", "period", "value", "target", "note"]),
    st.lists(
        st.sampled_from(["metric", "period", "value", "target", "note", "rag", "x", "METRIC", ""]), max_size=6
    ),
)


def _csv(header, rows) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@HOSTILE
@given(header=HEADERS, rows=ROWS, raw=st.one_of(st.none(), st.binary(max_size=200)))
def test_the_importer_applies_a_file_whole_or_refuses_it_with_line_numbers(world, header, rows, raw):
    data = raw if raw is not None else _csv(header, rows)
    plan = world.evaluation.plan
    with undone():
        before = sorted(MetricValue.objects.values_list("metric_id", "period_id", "value", "target", "note"))
        try:
            result = metric_values_import(plan=plan, data=data, by=None)
        except ImportRefused as refused:
            assert refused.errors and all(str(error) for error in refused.errors)
            after = sorted(
                MetricValue.objects.values_list("metric_id", "period_id", "value", "target", "note")
            )
            assert after == before
        else:
            stored = {(v.metric_id, v.period_id): v for v in MetricValue.objects.all()}
            for row in result.rows:
                value = stored[(row.metric.pk, row.period.pk)]
                assert (value.value, value.target, value.note) == (row.value, row.target, row.note)


@HOSTILE
@given(
    action=st.sampled_from(["preview", "apply", ""]),
    data=fields(token=["abc", "metric-imports/x.upload"]),
    content=st.one_of(FILES, st.builds(_csv, HEADERS, ROWS)),
    plan=st.sampled_from(["irp-test", "missing"]),
)
def test_the_import_page_survives_anything(world, action, data, content, plan):
    payload = dict(data, action=action, file=SimpleUploadedFile("values.csv", content))
    with undone():
        before = sorted(MetricValue.objects.values_list("pk", "value", "target", "note"))
        response = world.client("programme").post(reverse("outcomes:metric_import", args=[plan]), payload)
        assert_fine(response, data)
        assert sorted(MetricValue.objects.values_list("pk", "value", "target", "note")) == before


@HOSTILE
@given(query=fields(period=["2024-25-q3", "2024-25-q4", "missing"], page=["1", "2", "0", "-1"]))
def test_the_metric_library_filters_survive_anything(world, query):
    with undone():
        response = world.client("commissioner").get(reverse("reporting:metric_library"), query)
        assert_fine(response, query)
