"""Passwords are stored with Argon2id at OWASP's cost, and people whose passwords were stored before
sign in as always and have theirs stored again that way (accounts/passwords.py says why)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher, make_password
from django.urls import reverse

from thurrock_irp import settings as production_settings

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password-41"


@pytest.fixture(autouse=True)
def _production_hashers(settings):
    # Every other test stores passwords with MD5 for speed (conftest.py); these are about storage.
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS


def argon2_cost(encoded: str) -> dict[str, int]:
    """`argon2$argon2id$v=19$m=19456,t=2,p=1$salt$hash` → {"m": 19456, "t": 2, "p": 1}."""
    algorithm, variety, version, cost, *_ = encoded.split("$")
    assert (algorithm, variety) == ("argon2", "argon2id")
    return {key: int(value) for key, value in (part.split("=") for part in cost.split(","))}


def test_a_new_password_is_stored_with_argon2id_at_owasps_cost():
    person = get_user_model().objects.create_user("new-officer", password=PASSWORD)

    assert argon2_cost(person.password) == {"m": 19 * 1024, "t": 2, "p": 1}
    assert person.check_password(PASSWORD)
    assert not person.check_password(PASSWORD + "x")


def test_someone_whose_password_was_stored_with_pbkdf2_signs_in_and_it_is_stored_again_with_argon2id(
    client,
):
    before = make_password(PASSWORD, hasher="pbkdf2_sha256")
    person = get_user_model().objects.create(username="long-serving-officer", password=before)

    response = client.post(reverse("login"), {"username": person.username, "password": PASSWORD})

    assert response.status_code == 302
    person.refresh_from_db()
    assert identify_hasher(person.password).algorithm == "argon2"
    assert argon2_cost(person.password) == {"m": 19 * 1024, "t": 2, "p": 1}
    assert person.check_password(PASSWORD)


def test_a_password_stored_at_djangos_own_argon2_cost_is_stored_again_at_owasps_on_sign_in(client):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    costly = Argon2PasswordHasher().encode(PASSWORD, "saltsaltsaltsalt")
    person = get_user_model().objects.create(username="early-adopter", password=costly)

    response = client.post(reverse("login"), {"username": person.username, "password": PASSWORD})

    assert response.status_code == 302
    person.refresh_from_db()
    assert argon2_cost(person.password) == {"m": 19 * 1024, "t": 2, "p": 1}


def test_a_wrong_password_is_refused_and_the_stored_one_is_left_as_it_was(client):
    before = make_password(PASSWORD, hasher="pbkdf2_sha256")
    person = get_user_model().objects.create(username="careful-officer", password=before)

    response = client.post(reverse("login"), {"username": person.username, "password": "not-it-at-all-9"})

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.password == before
