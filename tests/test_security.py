"""The service is closed to anyone not signed in, throttles guessing, and deploys hardened."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from outcomes.models import PeriodState, ReportingPeriod
from tests.exports import criteria_file_of, file_of

ROOT = Path(__file__).resolve().parent.parent

# Reachable without signing in: the sign-in page itself, and the accessibility statement,
# which the law expects anyone to be able to read (it is linked from the sign-in page).
PUBLIC_URL_NAMES = {"login", "accessibility"}
SAMPLE_ARGUMENTS = {"int": "1", "slug": "2024-25-q3", "str": "A", "path": "x"}


def all_url_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from all_url_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), (namespace + entry.name) if entry.name else None


def concrete_path(route: str) -> str:
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGUMENTS.get(m.group(1) or "str", "x"), route)
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    return "/" + route


def test_every_page_sends_an_anonymous_visitor_to_sign_in(client, db):
    checked = 0
    for route, name in all_url_patterns():
        if name in PUBLIC_URL_NAMES:
            continue
        path = concrete_path(route)
        response = client.get(path)
        assert response.status_code == 302, f"{path} ({name}) answered {response.status_code}"
        # The admin sends people to its own login address, which forwards to ours.
        for _ in range(2):
            if response.url.startswith(reverse("login")):
                break
            response = client.get(response.url)
            assert response.status_code == 302, f"{path} ({name}) answered {response.status_code}"
        assert response.url.startswith(reverse("login")), f"{path} ({name}) → {response.url}"
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("name", sorted(PUBLIC_URL_NAMES))
def test_sign_in_and_accessibility_statement_are_public(client, db, name):
    assert client.get(reverse(name)).status_code == 200


def test_repeated_failed_sign_ins_lock_the_account_for_that_address(client, settings, make_user):
    settings.AXES_ENABLED = True
    make_user(username="guessme", password="the-right-password-1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "guessme", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "guessme", "password": "the-right-password-1"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_pages_carry_security_headers(client, commissioner):
    client.force_login(commissioner)
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_production_settings_pass_djangos_deployment_checklist():
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    environment.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k" * 20 + "a-long-random-production-secret-for-the-deploy-check-0123456789",
        DJANGO_ALLOWED_HOSTS="irp.example.gov.uk",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("path", ["/admin/", "/admin/outcomes/assessment/", "/admin/auth/user/"])
def test_a_signed_in_person_who_is_not_staff_is_shown_the_403_page_at_the_admin(client, commissioner, path):
    client.force_login(commissioner)

    response = client.get(path)

    assert response.status_code == 403
    page = response.content.decode()
    assert "You do not have permission to view this page" in page
    assert "your account is not one of them" in page


def test_the_admin_login_address_does_not_loop_for_a_signed_in_person_who_is_not_staff(client, commissioner):
    client.force_login(commissioner)

    response = client.get("/admin/login/?next=/admin/", follow=True)

    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2


def test_staff_still_reach_the_admin(client, make_user):
    client.force_login(make_user(username="administrator", is_staff=True, is_superuser=True))

    assert client.get("/admin/").status_code == 200


def test_signed_in_pages_are_neither_cached_nor_stored(client, commissioner):
    client.force_login(commissioner)

    for path in ("/", reverse("accessibility"), reverse("password_change")):
        assert client.get(path)["Cache-Control"] == "private, no-store", path


def test_a_response_that_says_how_to_cache_it_keeps_its_own_header(client, thurrock, democratic_services):
    client.force_login(democratic_services)

    published = file_of(client, "2024-25-q3", "json")

    assert published["Cache-Control"] == "private, max-age=0"


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "json"])
def test_every_download_of_a_draft_report_is_neither_cached_nor_stored(
    client, thurrock, democratic_services, fmt
):

    ReportingPeriod.objects.filter(slug="2024-25-q3").update(state=PeriodState.CLOSED)  # not yet published
    client.force_login(democratic_services)

    response = file_of(client, "2024-25-q3", fmt)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_criteria_export_of_the_open_period_is_neither_cached_nor_stored(client, thurrock, commissioner):
    ReportingPeriod.objects.filter(slug="2024-25-q3").update(state=PeriodState.OPEN)
    client.force_login(commissioner)

    response = criteria_file_of(client, "csv", {"period": "2024-25-q3"})

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
