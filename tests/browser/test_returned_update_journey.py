"""A returned update in a real browser: the Lead Director returns it, the officer is emailed, fixes it
and submits again, and the director's next daily digest lists it once. Then the director approves
everything shown, after a confirmation page. axe checks every page on the way.

The live server runs in this process, so the emails it sends land in Django's test outbox
(`django.core.mail.outbox`, the locmem backend the test runner installs).
"""

from __future__ import annotations

import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.management import call_command

from outcomes import services
from outcomes.models import AssessmentStatus
from tests.browser.helpers import check_page, page_text, sign_in
from tests.scenarios import Cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "Please add the dates of the two training sessions."
FIXED = "Training ran on 4 and 18 February; 41 of 45 members attended."
JOURNEY = "returned-update"


def _submit(cycle, ref, narrative="Training has been arranged."):
    current = cycle.fresh(ref)
    services.assessment_submit(
        assessment=current, by=cycle.officer, rag="A", narrative=narrative, expected_version=current.version
    )


def _digests(director) -> list:
    return [m for m in mail.outbox if m.to == [director.email] and "waiting for your sign-off" in m.subject]


def _send_reminders() -> None:
    call_command("send_reminders", stdout=StringIO(), stderr=StringIO())


def test_returned_update_is_emailed_fixed_resubmitted_and_digested_once(
    browser_session, officer, lead_director, settings
):
    settings.SITE_URL = "http://irp.example"  # the email's link is absolute; the browser follows its path
    cycle = Cycle(officer=officer, director=lead_director)
    _submit(cycle, "1a")
    _submit(cycle, "1b", narrative="Both committees now publish their work programmes.")
    _send_reminders()
    assert len(_digests(lead_director)) == 1  # the first submissions' digest
    mail.outbox.clear()

    # The Lead Director sees the count on their home page and returns 1a with a comment.
    director = browser_session.open("director")
    sign_in(director, username="director")
    check_page(director, journey=JOURNEY, step="01-director-home")
    assert "2 waiting for your sign-off" in page_text(director)
    director.get_by_role("link", name=re.compile("^Open sign-off")).click()
    director.get_by_role("link", name="1. Good governance").click()
    check_page(director, journey=JOURNEY, step="02-signoff-outcome")
    director.get_by_role("link", name=re.compile(r"^Return to officer\s*:\s*1a$")).click()
    director.get_by_label("What should the officer change?").fill(COMMENT)
    director.get_by_role("button", name=re.compile("^Return")).click()
    director.wait_for_load_state()
    assert "1a returned to its officer." in page_text(director)

    # The officer is emailed, once, with the comment and a link to the update.
    [email] = mail.outbox
    assert email.to == [officer.email]
    assert COMMENT in email.body
    link = next(line for line in email.body.splitlines() if line.startswith("http://irp.example/"))

    officer_page = browser_session.open("officer")
    sign_in(officer_page, username="officer")
    check_page(officer_page, journey=JOURNEY, step="03-officer-home")
    assert "returned to you" in page_text(officer_page)
    officer_page.goto(urlparse(link).path)
    check_page(officer_page, journey=JOURNEY, step="04-returned-update")
    assert COMMENT in page_text(officer_page)
    assert "1a: Criterion 1a is met." in page_text(officer_page)
    officer_page.get_by_label("Assessment of progress").fill(FIXED)
    officer_page.get_by_role("button", name="Submit to Lead Director").click()
    officer_page.wait_for_load_state()
    assert "1a submitted to the Lead Director." in page_text(officer_page)
    assert cycle.fresh("1a").status == AssessmentStatus.SUBMITTED

    # The daily digest lists the resubmitted 1a, once, however often the job runs.
    _send_reminders()
    _send_reminders()
    [digest] = _digests(lead_director)
    assert digest.body.count("1a (Quarter to March 2025)") == 1
    assert "1b (" not in digest.body  # already in yesterday's digest
    assert len(mail.outbox) == 2  # the return email and one digest: nothing twice

    # The director approves both after reading the confirmation page.
    director.reload()
    director.get_by_role("button", name=re.compile("^Approve all shown")).click()
    director.wait_for_load_state()
    check_page(director, journey=JOURNEY, step="05-approve-all-confirmation")
    assert "Approve 2 updates?" in page_text(director)
    director.get_by_role("button", name="Approve 2 updates").click()
    director.wait_for_load_state()
    check_page(director, journey=JOURNEY, step="06-approved")
    assert "2 updates approved: 1a, 1b." in page_text(director)
    assert [cycle.fresh(ref).status for ref in ("1a", "1b")] == [AssessmentStatus.APPROVED] * 2


def test_an_officer_withdraws_a_submitted_update_after_a_warning(browser_session, officer, lead_director):
    cycle = Cycle(officer=officer, director=lead_director)
    _submit(cycle, "1a")

    page = browser_session.open("officer")
    sign_in(page, username="officer")
    page.goto(cycle.url("1a"))
    check_page(page, journey=JOURNEY, step="07-submitted-update")
    page.get_by_role("link", name=re.compile("^Withdraw to edit")).click()
    check_page(page, journey=JOURNEY, step="08-withdraw-warning")
    assert "leaves the Lead Director's list" in page_text(page)
    page.get_by_label("Why are you withdrawing this update?").fill("The dates were wrong.")
    page.get_by_role("button", name="Withdraw to edit").click()
    page.wait_for_load_state()
    check_page(page, journey=JOURNEY, step="09-withdrawn")
    assert cycle.fresh("1a").status == AssessmentStatus.DRAFT
    page.get_by_role("button", name="Save and go to the next criterion").click()
    page.wait_for_load_state()
    assert "1b: Criterion 1b is met." in page_text(page)
