"""No lost updates: when two sessions edit the same assessment, the second save is refused, both texts
are kept, and the second person can re-apply theirs on top of the saved version."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from outcomes import services
from outcomes.exceptions import StaleEdit
from outcomes.models import AssessmentStatus

FIRST = "The governance review reported in February; all twelve recommendations were accepted."
SECOND = "Committee terms of reference were rewritten and agreed by full council in March."


def open_page(client: Client, url: str) -> int:
    """Load the update page as a browser would and return the version its form carries."""
    body = client.get(url).content.decode()
    return int(re.search(r'name="version" value="(\d+)"', body).group(1))


def sessions(user) -> tuple[Client, Client]:
    laptop, tablet = Client(), Client()
    laptop.force_login(user)
    tablet.force_login(user)
    return laptop, tablet


def test_the_second_save_gets_the_conflict_page_and_both_texts_survive(cycle, officer):
    laptop, tablet = sessions(officer)
    url = cycle.url("1a")
    laptop_version, tablet_version = open_page(laptop, url), open_page(tablet, url)
    assert laptop_version == tablet_version == 1

    first = laptop.post(
        url, {"rag": "G", "narrative": FIRST, "version": laptop_version, "action": "save_draft"}
    )
    assert first.status_code == 302

    second = tablet.post(
        url, {"rag": "A", "narrative": SECOND, "version": tablet_version, "action": "submit"}
    )

    assert second.status_code == 409
    body = second.content.decode()
    assert "1a was changed while you were editing" in body
    assert "Your version" in body and "The version now saved" in body
    assert FIRST in body  # the saved version, shown
    assert body.count(SECOND) >= 2  # shown as theirs, and kept in the textarea to re-apply
    assert re.search(r"<textarea[^>]*name=\"narrative\"[^>]*>\s*" + re.escape(SECOND), body)
    assert f"Saved by {officer.get_full_name()}" in body
    assert 'name="version" value="2"' in body  # re-applying goes on top of the saved version

    saved = cycle.fresh("1a")
    assert (saved.narrative, saved.rag, saved.status, saved.version) == (
        FIRST,
        "G",
        AssessmentStatus.DRAFT,
        2,
    )


def test_reapplying_from_the_conflict_page_saves_on_top_and_history_keeps_both(cycle, officer):
    laptop, tablet = sessions(officer)
    url = cycle.url("1a")
    stale = open_page(tablet, url)
    laptop.post(
        url, {"rag": "G", "narrative": FIRST, "version": open_page(laptop, url), "action": "save_draft"}
    )
    conflict = tablet.post(url, {"rag": "A", "narrative": SECOND, "version": stale, "action": "save_draft"})
    new_version = int(re.search(r'name="version" value="(\d+)"', conflict.content.decode()).group(1))

    response = tablet.post(
        url, {"rag": "A", "narrative": SECOND, "version": new_version, "action": "save_draft"}
    )

    assert response.status_code == 302
    saved = cycle.fresh("1a")
    assert (saved.narrative, saved.version) == (SECOND, 3)
    narratives = list(saved.history.order_by("history_date").values_list("narrative", flat=True))
    assert FIRST in narratives and SECOND in narratives


def test_an_officer_saving_while_the_lead_director_approves_loses_nothing(cycle, officer, lead_director):
    submitted = services.assessment_submit(
        assessment=cycle.fresh("1a"), by=officer, rag="G", narrative=FIRST, expected_version=1
    )
    services.assessment_approve(assessment=submitted, by=lead_director, expected_version=submitted.version)

    with pytest.raises(StaleEdit) as refused:
        services.assessment_save_draft(
            assessment=submitted,
            by=officer,
            rag="G",
            narrative=SECOND,
            expected_version=submitted.version,
            reason="Adding the date.",
        )

    assert refused.value.current.status == AssessmentStatus.APPROVED
    assert refused.value.current.updated_by == lead_director
    assert cycle.fresh("1a").narrative == FIRST


def test_two_lead_director_summary_saves_do_not_overwrite_each_other(cycle, lead_director):
    summary = cycle.summary(1)
    services.outcome_summary_save(summary=summary, by=lead_director, text=FIRST, expected_version=1)

    with pytest.raises(StaleEdit):
        services.outcome_summary_save(summary=summary, by=lead_director, text=SECOND, expected_version=1)

    assert cycle.summary(1).text == FIRST
