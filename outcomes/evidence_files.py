"""What an uploaded evidence file really is, decided from its bytes, never from its name."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    label: str
    extension: str
    content_type: str


PDF = FileKind("PDF", "pdf", "application/pdf")
PNG = FileKind("PNG image", "png", "image/png")
JPEG = FileKind("JPEG image", "jpg", "image/jpeg")
DOCX = FileKind(
    "Word document", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
XLSX = FileKind("Excel workbook", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ACCEPTED = "PDF, Word (DOCX), Excel (XLSX), PNG or JPEG"


class UnacceptableFile(ValueError):
    """The sentence a user reads when the file is refused."""


def file_kind(upload) -> FileKind:
    """The kind of an uploaded file (a Django UploadedFile or any seekable binary file)."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size == 0:
        raise UnacceptableFile("The selected file is empty")
    if size > MAX_EVIDENCE_BYTES:
        raise UnacceptableFile("The selected file must be smaller than 20 MB")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(upload)
        upload.seek(0)
        if kind is not None:
            return kind
    raise UnacceptableFile(f"The selected file must be a {ACCEPTED}")


def _office_kind(upload) -> FileKind | None:
    # A DOCX or XLSX is a ZIP whose parts say which it is; any other ZIP (or a broken one) is refused.
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None
