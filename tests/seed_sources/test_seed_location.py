"""The council's source documents are found beside the repository, and CI never skips without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import REPOSITORY, SECOND_REPORT, SEEDS, running_in_ci, seed_document

# Built in two parts so this file does not match its own search.
ABSOLUTE_CHECKOUT = "/" + "work/"


def test_the_documents_are_looked_for_at_shared_seeds_beside_the_repository():
    assert REPOSITORY == Path(__file__).resolve().parents[2]
    assert (REPOSITORY / "manage.py").is_file()
    assert SEEDS == REPOSITORY.parent / "shared" / "seeds"


def test_a_document_that_is_there_is_returned(tmp_path):
    (tmp_path / SECOND_REPORT).write_text("Second Report on Outcomes")

    assert seed_document(SECOND_REPORT, seeds=tmp_path, environ={}) == tmp_path / SECOND_REPORT
    assert seed_document(SECOND_REPORT, seeds=tmp_path, environ={"CI": "true"}) == tmp_path / SECOND_REPORT


def test_a_missing_document_skips_the_test_on_a_developers_machine(tmp_path):
    with pytest.raises(pytest.skip.Exception):
        seed_document(SECOND_REPORT, seeds=tmp_path, environ={})


def test_a_missing_document_leaves_an_optional_comparison_out_on_a_developers_machine(tmp_path):
    assert seed_document(SECOND_REPORT, required=False, seeds=tmp_path, environ={}) is None


@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_a_missing_document_fails_the_test_under_ci(tmp_path, ci, required):
    with pytest.raises(pytest.fail.Exception, match="CI needs ../shared/seeds/ beside the repository"):
        seed_document(SECOND_REPORT, required=required, seeds=tmp_path, environ={"CI": ci})


@pytest.mark.parametrize(
    ("environ", "ci"),
    [({}, False), ({"CI": ""}, False), ({"CI": "false"}, False), ({"CI": "0"}, False), ({"CI": "x"}, True)],
)
def test_ci_is_recognised_from_the_ci_variable(environ, ci):
    assert running_in_ci(environ) is ci


def test_no_code_or_document_names_an_absolute_checkout_path():
    offenders = []
    folders = ("accounts", "bench", "docs", "fixtures", "outcomes", "plans", "reporting", "scripts")
    for folder in (*folders, "templates", "tests", "thurrock_irp", ".ci"):
        for path in (REPOSITORY / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".md", ".sh", ".html", ".toml", ""}:
                if ABSOLUTE_CHECKOUT in path.read_text(encoding="utf-8", errors="replace"):
                    offenders.append(str(path.relative_to(REPOSITORY)))
    for name in ("Makefile", "README.md", "pyproject.toml"):
        if ABSOLUTE_CHECKOUT in (REPOSITORY / name).read_text(encoding="utf-8"):
            offenders.append(name)
    assert offenders == []
