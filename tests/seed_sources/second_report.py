"""Parser for the text of Thurrock Council's "Second Report on Outcomes and Success Criteria".

Source: ../shared/seeds/003_f53bc5824a343a63.txt (period to December 2024), extracted from
a PDF. Standard library only, so tests can use it without Django.

The extraction mixes markup from one section to the next: markdown ``**bold**`` and ``#``
headings, ``<p><b>..</b></p>`` HTML fragments (sometimes a heading and its paragraph on one
line), tab-separated table rows that repeat their header row and break across pages, and
italics written ``*...*`` (``<i>..</i>`` is accepted too). Everything is reduced to plain text:
tags and markers removed, HTML entities unescaped, whitespace collapsed inside a paragraph,
paragraphs joined with a blank line ("\\n\\n"). A list item becomes its own paragraph
starting "- ". A paragraph cut in two by a page break (the first part has no closing
punctuation and the second starts in lower case) is joined back together.

Italic paragraphs inside an "Assessment of Progress" quote the first report (the September
2024 position). They are returned as ``previous_assessment``; the remaining paragraphs are
this period's ``assessment``. When this period's text is nothing but the pointer sentence
"The position is assessed as being the same as 1st Report (see below italics)." followed by
the quotation, the criterion is ``carried_forward`` and ``assessment`` is the quoted text.

The per-outcome sections (each outcome's own table, Lead Director Summary and Assessments
of Progress) are authoritative. The summary table at the top is returned separately as
``summary_table`` so that disagreements with the sections can be listed.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

RAG_VALUES = ("R", "A", "G")
RAG_NAMES = {"Red": "R", "Amber": "A", "Green": "G"}
COLUMN_KEYS = ("baseline", "previous", "current")

# "RAG – Baseline (Sept 24)" / "RAG – last period (Sept 24)" / "RAG – this period (Dec 24)"
_HEADER_CELL = re.compile(r"^RAG\s*[–-]\s*(baseline|last period|this period)\s*\((.+)\)$", re.I)
_HEADER_KEYS = {"baseline": "baseline", "last period": "previous", "this period": "current"}
_OUTCOME_CELL = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_CRITERION = re.compile(r"^([a-z])\.\s+(\S.*)$")
_TAG = re.compile(r"<[^>]+>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC_STAR = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_ITALIC_TAG = re.compile(r"<i>(.*?)</i>", re.I | re.S)
_HEADING_HASHES = re.compile(r"^#{1,6}\s+")
_P_FRAGMENT = re.compile(r"<p>(.*?)</p>", re.I | re.S)
_LEADING_BOLD = re.compile(r"^\s*<b>(.*?)</b>(.*)$", re.I | re.S)
_POINTER = re.compile(
    r"^The (?:position|situation) is assessed as being the same as 1st Report "
    r"\(see below italics\)\.?$"
)
LEAD_SUMMARY = "Lead Director Summary"
ASSESSMENT = "Assessment of Progress"


# --------------------------------------------------------------------------- text helpers


def clean(text: str) -> str:
    """Markup-free text: tags and bold/italic markers removed, entities unescaped, spaces collapsed."""
    text = _ITALIC_TAG.sub(r"\1", text)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC_STAR.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()


def _is_italic(raw: str) -> bool:
    """True when every visible character of ``raw`` sits inside an italic span."""
    body = _BOLD.sub(r"\1", raw.strip())
    outside = _ITALIC_TAG.sub("", body)
    outside = _ITALIC_STAR.sub("", outside)
    outside = _TAG.sub("", outside)
    return body != outside and not outside.strip()


def _cells(line: str) -> list[str]:
    return [clean(cell) for cell in line.split("\t")]


def _ends_open(text: str) -> bool:
    """A paragraph that stops without closing punctuation (cut by a page break)."""
    return bool(text) and text[-1] not in '.!?:;)"”’'


# --------------------------------------------------------------------------- blocks

# A block is ("heading", text) or ("para", text, italic: bool, list_item: bool).


def _line_blocks(line: str) -> list[tuple]:
    """Blocks on one source line (an HTML line can hold a heading and its paragraph)."""
    stripped = line.strip()
    if not stripped:
        return []
    if "<p>" in stripped.lower():
        blocks: list[tuple] = []
        for fragment in _P_FRAGMENT.findall(stripped):
            match = _LEADING_BOLD.match(fragment)
            if match:
                blocks.append(("heading", clean(match.group(1))))
                rest = match.group(2)
                if clean(rest):
                    blocks.append(("para", clean(rest), _is_italic(rest), False))
            elif clean(fragment):
                blocks.append(("para", clean(fragment), _is_italic(fragment), False))
        return blocks
    hashes = _HEADING_HASHES.match(stripped)
    if hashes:
        return [("heading", clean(stripped[hashes.end() :]))]
    if re.fullmatch(r"\*\*[^*].*\*\*", stripped) and "**" not in stripped[2:-2]:
        return [("heading", clean(stripped))]
    if re.fullmatch(r"<b>.*</b>", stripped, re.I):
        return [("heading", clean(stripped))]
    list_item = stripped.startswith(("- ", "• "))
    body = stripped[2:] if list_item else stripped
    return [("para", clean(body), _is_italic(body), list_item)]


def _paragraphs(blocks: list[tuple]) -> list[tuple[str, bool]]:
    """(text, italic) paragraphs, with page-broken paragraphs of the same kind re-joined."""
    out: list[list] = []
    for _, text, italic, list_item in blocks:
        previous = out[-1] if out else None
        if (
            previous is not None
            and not list_item
            and not previous[2]
            and previous[1] == italic
            and _ends_open(previous[0])
            and text[:1].islower()
        ):
            glue = "" if previous[0].endswith("-") else " "
            previous[0] = previous[0] + glue + text
            continue
        out.append([text, italic, list_item])
    return [(("- " + text) if list_item else text, italic) for text, italic, list_item in out]


def _join(paragraphs) -> str:
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------- tables


def _is_header_cell(cell: str) -> bool:
    return bool(_HEADER_CELL.match(cell))


def _table_row(line: str):
    """Classify a table line: ("header", labels) / ("outcome", n, title) / ("criterion", ..)."""
    if "\t" not in line:
        return None
    cells = _cells(line)
    while cells and not cells[-1]:
        cells.pop()
    if not cells:
        return None
    labels = {}
    for cell in cells:
        match = _HEADER_CELL.match(cell)
        if match:
            labels[_HEADER_KEYS[match.group(1).lower()]] = match.group(2).strip()
    first = cells[0]
    outcome = _OUTCOME_CELL.match(first)
    if outcome and (labels or len(cells) == 1):
        return ("outcome", int(outcome.group(1)), outcome.group(2), labels)
    if not first and labels:
        return ("header", labels)
    criterion = _CRITERION.match(first)
    if criterion and len(cells) == 4 and all(c in RAG_VALUES for c in cells[1:]):
        rags = dict(zip(COLUMN_KEYS, cells[1:], strict=True))
        return ("criterion", criterion.group(1), criterion.group(2), rags)
    return None


# --------------------------------------------------------------------------- parser


def parse_second_report(path) -> dict:
    text = Path(path).read_text(encoding="utf-8")
    lines = text.splitlines()

    def find(predicate, start=0):
        for index in range(start, len(lines)):
            if predicate(lines[index]):
                return index
        raise ValueError("expected line not found in the second report")

    purpose_at = find(lambda s: clean(_HEADING_HASHES.sub("", s.strip())) == "Purpose")
    summary_at = find(lambda s: clean(_HEADING_HASHES.sub("", s.strip())) == "Summary", purpose_at)
    table_at = find(lambda s: any(_is_header_cell(c) for c in _cells(s)), summary_at)
    notes_at = find(
        lambda s: clean(_HEADING_HASHES.sub("", s.strip())).startswith("Note on definitions"), table_at
    )
    first_section_at = find(lambda s: (row := _table_row(s)) is not None and row[0] == "outcome", notes_at)

    def prose(start, end):
        blocks = [b for line in lines[start:end] for b in _line_blocks(line)]
        return _join(text for text, _ in _paragraphs([b for b in blocks if b[0] == "para"]))

    purpose = prose(purpose_at + 1, summary_at)
    summary = prose(summary_at + 1, table_at)

    # ---- summary table
    summary_table: dict[tuple[int, str], dict] = {}
    summary_titles: dict[int, str] = {}
    column_labels: dict[str, str] = {}
    current_outcome = None
    for line in lines[table_at:notes_at]:
        row = _table_row(line)
        if row is None:
            if line.strip():
                raise ValueError(f"unexpected line in summary table: {line!r}")
            continue
        if row[0] == "header":
            column_labels.update(row[1])
        elif row[0] == "outcome":
            current_outcome = row[1]
            summary_titles[current_outcome] = row[2]
            column_labels.update(row[3])
        else:
            _, letter, wording, rags = row
            summary_table[(current_outcome, letter)] = {"text": wording, **rags}

    # ---- RAG definitions
    rag_definitions: dict[str, str] = {}
    for line in lines[notes_at + 1 : first_section_at]:
        for block in _line_blocks(line):
            if block[0] == "para":
                word = block[1].split(" ", 1)[0]
                if word in RAG_NAMES:
                    rag_definitions[RAG_NAMES[word]] = block[1]

    # ---- per-outcome sections
    starts = [
        index
        for index in range(first_section_at, len(lines))
        if (row := _table_row(lines[index])) is not None and row[0] == "outcome"
    ]
    outcomes = []
    section_labels: dict[str, str] = {}
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        outcome = _parse_section(lines[start:end], section_labels)
        outcome["summary_table_title"] = summary_titles.get(outcome["number"])
        outcomes.append(outcome)

    return {
        "rag_definitions": rag_definitions,
        "summary_table": summary_table,
        "outcomes": outcomes,
        "column_labels": section_labels or column_labels,
        "summary_table_column_labels": column_labels,
        "purpose": purpose,
        "summary": summary,
    }


def _parse_section(lines: list[str], labels: dict[str, str]) -> dict:
    head = _table_row(lines[0])
    number, title = head[1], head[2]
    labels.update(head[3])
    criteria: list[dict] = []
    by_letter: dict[str, dict] = {}
    index = 1
    # The section's own table: criterion rows, repeated header rows and blank lines.
    while index < len(lines):
        row = _table_row(lines[index])
        if row is None and lines[index].strip():
            break
        if row is not None and row[0] == "criterion":
            _, letter, wording, rags = row
            criterion = {"letter": letter, "text": wording, **rags}
            criteria.append(criterion)
            by_letter[letter] = criterion
        elif row is not None and row[0] in ("header", "outcome"):
            labels.update(row[-1])
        index += 1

    blocks = [b for line in lines[index:] for b in _line_blocks(line)]
    lead_blocks: list[tuple] = []
    criterion_blocks: dict[str, list[tuple]] = {}
    headings: dict[str, str] = {}
    target: list[tuple] | None = None
    for block in blocks:
        if block[0] == "heading":
            heading = block[1]
            match = _CRITERION.match(heading)
            if heading == LEAD_SUMMARY:
                target = lead_blocks
            elif heading == ASSESSMENT:
                if target is None or target is lead_blocks:
                    raise ValueError(f"outcome {number}: Assessment of Progress without a criterion")
            elif match:
                letter = match.group(1)
                if letter not in by_letter or letter in headings:
                    raise ValueError(f"outcome {number}: unexpected criterion heading {heading!r}")
                headings[letter] = match.group(2)
                target = criterion_blocks.setdefault(letter, [])
            else:
                raise ValueError(f"outcome {number}: unexpected heading {heading!r}")
            continue
        if target is None:
            raise ValueError(f"outcome {number}: text before any heading: {block[1][:60]!r}")
        target.append(block)

    for letter, criterion in by_letter.items():
        paragraphs = _paragraphs(criterion_blocks.get(letter, []))
        quoted = [text for text, italic in paragraphs if italic]
        current = [text for text, italic in paragraphs if not italic]
        carried = bool(quoted) and len(current) == 1 and bool(_POINTER.match(current[0]))
        carried = carried or (bool(quoted) and not current)
        criterion["heading_text"] = headings.get(letter)
        criterion["previous_assessment"] = _join(quoted) if quoted else None
        criterion["assessment"] = _join(quoted) if carried else _join(current)
        criterion["carried_forward"] = carried
        # What the officers wrote, as printed: their own text, and the earlier text quoted beneath it.
        criterion["narrative"] = _join(current)
        criterion["quoted"] = _join(quoted)
        criterion["paragraphs"] = [text for text, _ in paragraphs]

    return {
        "number": number,
        "title": title,
        "lead_director_summary": _join(text for text, _ in _paragraphs(lead_blocks)),
        "criteria": criteria,
    }
