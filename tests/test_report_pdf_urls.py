"""Printing a report reads nothing but the service's own static files: no server file, no network."""

from __future__ import annotations

import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from reporting.render import pdf
from reporting.render.url_fetcher import URLRefused, read_static_url, static_base_url, static_file_name

A4_POINTS = (595, 842)


@pytest.fixture
def listener():
    """A web server on this machine that records every request made to it."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"@page { size: 100mm 100mm }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def print_document(monkeypatch, body: str, *, page: str = "A4") -> PdfReader:
    """The PDF renderer's real path, given a report template that names the URLs in `body`."""
    document = f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Report</title>
    <style>@page {{ size: {page} }}</style>{body}</head><body><h1>Outcome report</h1></body></html>"""
    monkeypatch.setattr(pdf, "document", lambda report: document)
    return PdfReader(io.BytesIO(pdf.render(report=None)))


def page_size(reader: PdfReader) -> tuple[int, int]:
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_a_report_naming_a_file_on_the_server_does_not_read_it(monkeypatch, tmp_path):
    stylesheet = tmp_path / "server-file.css"
    stylesheet.write_text("@page { size: 100mm 100mm }")

    reader = print_document(
        monkeypatch,
        f'<link rel="stylesheet" href="{stylesheet.as_uri()}">'
        f"<style>@import url({stylesheet.as_uri()});</style>",
    )

    assert page_size(reader) == A4_POINTS  # the server's file would have made it 100 mm square


def test_a_report_naming_a_web_address_does_not_fetch_it(monkeypatch, listener):
    address, requests = listener

    reader = print_document(
        monkeypatch,
        f'<link rel="stylesheet" href="{address}/style.css">'
        f"<style>@import url({address}/imported.css); "
        f"h1 {{ background: url({address}/background.png) }}</style>"
        f'<link rel="icon" href="{address}/icon.png">',
    )

    assert requests == []
    assert page_size(reader) == A4_POINTS


def test_a_report_can_use_the_services_own_static_files(monkeypatch):
    stylesheet = '<link rel="stylesheet" href="/static/css/report-pdf.css">'

    reader = print_document(monkeypatch, stylesheet, page="A5")

    assert page_size(reader) == A4_POINTS  # report-pdf.css asks for A4, so it was read
    content, media_type = read_static_url(static_base_url() + "css/report-pdf.css")
    assert b"@page" in content and media_type == "text/css"


def test_the_static_path_on_another_server_is_not_fetched_either(monkeypatch, listener):
    address, requests = listener

    stylesheet = f'<link rel="stylesheet" href="{address}/static/css/report-pdf.css">'

    reader = print_document(monkeypatch, stylesheet)

    assert requests == []
    assert page_size(reader) == A4_POINTS  # the listener's stylesheet would have made it 100 mm square


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///static/css/report-pdf.css",
        "https://example.com/static/css/report-pdf.css",
        "http://127.0.0.1:8000/static/css/report-pdf.css",
        "http://169.254.169.254/latest/meta-data/",
        "//example.com/static/css/report-pdf.css",
        "/static/../thurrock_irp/settings.py",
        "/static/%2e%2e/thurrock_irp/settings.py",
        "/static/css/../../manage.py",
        "/static/css/not-there.css",
        "/static/",
        "/static/.",
        "/media/anything",
        "static/css/report-pdf.css",
        "http://report.invalid/static/../manage.py",
        "http://report.invalid/media/anything",
        "https://report.invalid/static/css/report-pdf.css",
        "data:text/css,@page{size:100mm 100mm}",
        "ftp://127.0.0.1/static/css/report-pdf.css",
    ],
)
def test_anything_but_a_static_file_is_refused(url):
    with pytest.raises(URLRefused):
        read_static_url(url)


def test_static_files_served_from_another_address_are_read_from_disk_too(settings):
    settings.STATIC_URL = "https://assets.example-council.gov.uk/irp/"
    cdn = "https://assets.example-council.gov.uk"

    assert static_file_name(f"{cdn}/irp/css/report-pdf.css") == "css/report-pdf.css"
    assert read_static_url(f"{cdn}/irp/css/report-pdf.css")[1] == "text/css"
    assert static_file_name(f"{cdn}/other/css/report-pdf.css") is None
    assert static_file_name("/irp/css/report-pdf.css") is None
    assert static_file_name("http://assets.example-council.gov.uk/irp/css/report-pdf.css") is None
