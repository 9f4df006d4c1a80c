"""What hostile-input property tests share: the corpus of nasty values, hypothesis settings
(1,000 examples per form; HYPOTHESIS_HOSTILE_EXAMPLES overrides it for a quick local run), the
field and query strategies, a client signed in for each person, the savepoint each example runs in,
and the check every answer passes."""

from __future__ import annotations

import contextlib
import os
import urllib.parse

from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("HYPOTHESIS_HOSTILE_EXAMPLES", "1000"))
HOSTILE = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --------------------------------------------------------------------------- what arrives

SCRIPT = "<script>alert(1)</script>"
MARKUP = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "</textarea><script>alert(2)</script>",
    "<svg/onload=alert(3)>",
]
FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "=1+1", "=cmd|' /C calc'!A0", "\t=2+2"]
SQL = [
    "' OR '1'='1",
    "1; DROP TABLE outcomes_assessment; --",
    '" OR 1=1 --',
    "' UNION SELECT password FROM auth_user --",
    "%",
    "_",
    "\\",
]
ODD = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\r\n",
    "\u202eevil",
    "\ufeff",
    "🙂" * 20,
    "İstanbul ß ﷺ",
    "{{ 7|add:7 }}{% debug %}",
    "javascript:alert(1)",
    "../../etc/passwd",
    "null",
    "None",
    "true",
    "NaN",
    "-0",
    "1e309",
    "0x10",
    " 1",
    "1.5",
    "99999999999999999999999999",
    "-1",
    "0",
]
CORPUS = MARKUP + FORMULAS + SQL + ODD
# Browsers cannot send lone surrogates (they are not UTF-8); everything else is fair game.
ANY_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)


def _big(sizes: list[int]):
    return st.tuples(st.sampled_from(["x", "é", SCRIPT, "\x00", "=1+"]), st.sampled_from(sizes)).map(
        lambda pair: (pair[0] * (pair[1] // len(pair[0]) + 1))[: pair[1]]
    )


def _scalars(big_sizes: list[int]):
    return st.one_of(
        st.sampled_from(CORPUS),
        ANY_TEXT,
        _big(big_sizes),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
    )


# Forms are posted with values up to 1 MB. A query string cannot be that long in real life (gunicorn
# refuses a request line over 4,094 bytes, nginx over 8 KB), and decoding a 1 MB one in the test
# client takes a fifth of a second, so filters get values up to 8 KB.
SCALAR = _scalars([10_001, 100_000, 1_048_576])
QUERY_SCALAR = _scalars([4_094, 8_192])
VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=3))  # a list posts the field several times
QUERY_VALUE = st.one_of(QUERY_SCALAR, st.lists(QUERY_SCALAR, max_size=3))


def fields(**good):
    """Form data: each named field missing, a plausible value, or anything; plus a stray field."""
    optional = {name: st.one_of(st.sampled_from(values), VALUE) for name, values in good.items()}
    optional["unexpected"] = VALUE
    return st.fixed_dictionaries({}, optional=optional)


def query(**good):
    """A query string: like `fields`, with values no longer than a request line can be."""
    optional = {name: st.one_of(st.sampled_from(values), QUERY_VALUE) for name, values in good.items()}
    optional["unexpected"] = QUERY_VALUE
    return st.fixed_dictionaries({}, optional=optional)


PK = st.integers(min_value=0, max_value=2**70)
SLUG_LIKE = st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True)


def path_part(value: str) -> str:
    return urllib.parse.quote(value, safe="")


class SignedIn:
    """A test client signed in for each person, by name, for the worlds the hostile tests build."""

    def __init__(self, people: dict):
        self.clients = {}
        for name, user in people.items():
            client = Client()
            client.force_login(user)
            self.clients[name] = client

    def client(self, name: str) -> Client:
        """The person's client, without the flash messages an earlier example left in its cookies."""
        client = self.clients[name]
        client.cookies.pop("messages", None)
        return client


@contextlib.contextmanager
def undone():
    """Run one example in a savepoint and roll it back, so every example meets the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_fine(response, sent: dict | None = None) -> None:
    assert response.status_code < 500, response.status_code
    if sent and "text/html" in response.get("Content-Type", ""):
        body = response.content
        for value in _flatten(sent):
            if value in MARKUP:
                assert value.encode() not in body, f"{value!r} was reflected unescaped"


def refused_as_too_big(response, sent: dict) -> bool:
    """Django answers 400 to a form body over `DATA_UPLOAD_MAX_MEMORY_SIZE` before any view runs:
    nothing is read, so nothing can change, whoever sent it."""
    from urllib.parse import urlencode

    from django.conf import settings

    size = len(urlencode(sent, doseq=True).encode())
    return response.status_code == 400 and size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _flatten(data: dict) -> list[str]:
    out = []
    for value in data.values():
        out.extend(value if isinstance(value, list) else [value])
    return out
