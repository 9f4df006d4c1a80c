"""What WeasyPrint may read while printing a report: the service's own static files, nothing else.

WeasyPrint's default fetcher opens any URL a document names: file:// paths on the server (its
configuration, its secrets) and http(s) addresses anywhere, the council's internal network
included. A report is printed on the server, so neither may be reachable from one. The document's
base URL is the static URL (`static_base_url()`), so `{% static %}` references resolve under it;
those are answered from the static files finders or the collected files, without any network.
Every other URL is refused, and WeasyPrint leaves that resource out and logs a warning.

Django's staticfiles and the standard library only: renderers read no setting (the static URL
comes from the static files storage), and WeasyPrint is imported only when a PDF is made.
"""

from __future__ import annotations

import mimetypes
import posixpath
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage


class URLRefused(ValueError):
    """The document named something other than one of the service's static files."""


# WeasyPrint needs an absolute base URL (it turns "/static/" into file:///static/). When the static
# URL is a path, the document's base is this address, which cannot exist (.invalid is reserved by
# RFC 2606): a relative reference then resolves to a URL only this fetcher answers. The report's
# own links are all fragments (#outcome-1), which no base URL changes.
DOCUMENT_ORIGIN = "http://report.invalid/"


def static_base_url() -> str:
    """The absolute URL the static files are under, for the document's base URL."""
    return urljoin(DOCUMENT_ORIGIN, staticfiles_storage.base_url)


def static_file_name(url: str) -> str | None:
    """The static file's name ("css/report-pdf.css") if `url` is under the static URL, else None."""
    base = static_base_url()
    if not url.startswith(base):
        return None
    name = unquote(urlsplit(url[len(base) :]).path)
    normalised = posixpath.normpath(name) if name else ""
    if normalised in ("", ".") or normalised.startswith(("/", "..")) or "\\" in name or "\x00" in name:
        return None
    return normalised


def static_file_bytes(name: str) -> bytes | None:
    """The file from the finders (static/ and the apps'), or else from the collected files."""
    found = finders.find(name)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    return None


def read_static_url(url: str) -> tuple[bytes, str]:
    """(content, media type) of the static file at `url`; URLRefused for any other URL."""
    name = static_file_name(url)
    content = static_file_bytes(name) if name else None
    if content is None:
        raise URLRefused(f"A report may only use the service's own static files, not {url[:200]!r}.")
    return content, mimetypes.guess_type(name)[0] or "application/octet-stream"


@lru_cache(maxsize=1)
def _fetcher_class():
    # Imported here: WeasyPrint is slow to import and only the PDF format needs it. A plain
    # function will not do: WeasyPrint 70 reads the fetcher's error policy from a URLFetcher.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            content, media_type = read_static_url(url)
            return URLFetcherResponse(url, body=content, headers={"Content-Type": media_type})

    return StaticFilesOnlyFetcher


def static_files_only_fetcher():
    """A WeasyPrint URL fetcher (one per document) that reads only the service's static files."""
    return _fetcher_class()()
