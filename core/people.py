"""How a person is named on every page, email and export: their full name, else their username."""

from __future__ import annotations


def display_name(user, *, nobody: str = "") -> str:
    """`user`'s full name, falling back to the username; `nobody` when there is no user."""
    if user is None:
        return nobody
    return user.get_full_name() or user.get_username()
