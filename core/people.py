"""How a person is named on every page, email and export: their full name, else their username."""

from __future__ import annotations


def display_name(user, *, nobody: str = "") -> str:
    """`user`'s full name, falling back to the username; `nobody` when there is no user."""
    if user is None:
        return nobody
    return user.get_full_name() or user.get_username()


def display_name_of(
    *, first_name: str | None, last_name: str | None, username: str | None, nobody: str = ""
) -> str:
    """The same name from plain values, for long lists read without building a user for each
    (as Django's get_full_name joins them); `nobody` when there is no user (a join that found
    none reads every value as None)."""
    if username is None:
        return nobody
    return f"{first_name} {last_name}".strip() or username
