"""User text written to spreadsheets stays text: one rule for the report workbook and exports.

A cell starting with = + - @ (or a tab or carriage return, which some spreadsheets strip
before evaluating) would otherwise be run as a formula when the file is opened.
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """For CSV, where there are no cell types: a leading apostrophe, as a person would type."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def make_text_cell(cell, value: str):
    """Store `value` in an openpyxl cell as a string, never a formula, and show it as text."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value or "")
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell
