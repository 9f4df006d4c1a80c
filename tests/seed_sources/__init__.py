"""Where the council's source documents are, for the tests and fixture builders that read them.

They are not in the repository: on every machine they sit at ../shared/seeds/ beside the checkout
(see fixtures/README.md), so their place is worked out from the repository's own, never written
as an absolute path. Standard library only at import time: fixtures/thurrock/ uses this without
pytest.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
SEEDS = REPOSITORY.parent / "shared" / "seeds"
# The Second Report on Outcomes and Success Criteria (period to December 2024).
SECOND_REPORT = "003_f53bc5824a343a63.txt"


def running_in_ci(environ: Mapping[str, str] | None = None) -> bool:
    value = (os.environ if environ is None else environ).get("CI", "").strip().lower()
    return value not in ("", "0", "false", "no")


def seed_document(
    name: str, *, required: bool = True, seeds: Path = SEEDS, environ: Mapping[str, str] | None = None
) -> Path | None:
    """The path of the seed document `name`, for a test that compares against it.

    When it is missing, a developer's machine skips the test (or, with required=False, gets None
    and checks less), but under CI (the CI variable set) the test fails: CI always has the
    documents beside the repository, and a silent skip there would hide that the report tests
    compared nothing against the council's own text.
    """
    path = seeds / name
    if path.is_file():
        return path
    import pytest

    if running_in_ci(environ):
        pytest.fail(
            f"The council's source document {name} is not in {seeds}; CI needs ../shared/seeds/ "
            "beside the repository.",
            pytrace=False,
        )
    if required:
        pytest.skip(f"the council's source document {name} is not in ../shared/seeds/")
    return None


def second_report_source(*, required: bool = True) -> Path | None:
    return seed_document(SECOND_REPORT, required=required)
