"""The sign-in page names the field that is missing, in the error summary and beside the field."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def errors_of(response) -> tuple[list[str], dict[str, str]]:
    """The error summary's lines, and each field's error message, as a person reads them."""
    from lxml import html

    page = html.fromstring(response.content)
    summary = [
        " ".join(li.text_content().split())
        for li in page.xpath("//ul[contains(@class, 'govuk-error-summary__list')]/li")
    ]
    beside = {
        p.get("id"): " ".join(p.text_content().split())
        for p in page.xpath("//p[contains(@class, 'govuk-error-message')]")
    }
    return summary, beside


def test_signing_in_with_no_username_asks_for_the_username(client):
    response = client.post(reverse("login"), {"username": "", "password": "something"})

    summary, beside = errors_of(response)
    assert summary == ["Enter your username"]
    assert beside == {"id_username-error": "Error: Enter your username"}
    assert b'href="#id_username"' in response.content


def test_signing_in_with_no_password_asks_for_the_password(client):
    response = client.post(reverse("login"), {"username": "officer", "password": ""})

    summary, beside = errors_of(response)
    assert summary == ["Enter your password"]
    assert beside == {"id_password-error": "Error: Enter your password"}
    assert b'href="#id_password"' in response.content


def test_signing_in_with_neither_asks_for_both_in_the_order_of_the_form(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    summary, beside = errors_of(response)
    assert summary == ["Enter your username", "Enter your password"]
    assert set(beside) == {"id_username-error", "id_password-error"}
    assert response.content.decode().count("<title>Error: Sign in") == 1
