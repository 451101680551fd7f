"""Every PDF comes from one function: WeasyPrint, tagged, PDF/UA-1."""

from __future__ import annotations

import http.server
import io
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from common.pdf import RefusedURL, render_pdf, static_name_for, static_only_url_fetcher

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def test_templates(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [TEMPLATES, *settings.TEMPLATES[0]["DIRS"]]}]


def test_render_pdf_renders_a_template_with_its_context(test_templates):
    content = render_pdf("pdf/common_test.html", {"title": "Summary of payments", "amount": "£3.20"})
    assert content.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Summary of payments" in text
    assert "£3.20" in text


def test_the_pdf_is_tagged_and_claims_pdf_ua(test_templates):
    content = render_pdf("pdf/common_test.html", {"title": "Summary", "amount": "£1.00"})
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    metadata = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in metadata  # PDF/UA's identification, in the XMP metadata


# ---- What a PDF may load: the project's static files and data: URLs, nothing else ------------

# A 1×1 NHS blue PNG.
DATA_IMAGE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgiNsBAAF4ARdHlLw/AAAAAElFTkSuQmCC"
)


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.hits.append(self.path)
        body = b'body::after { content: "FETCHED FROM THE NETWORK"; }'
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    """A local web server that records every request made to it."""
    handler = type("Handler", (_RecordingHandler,), {"hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler.hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def files(tmp_path, settings, test_templates):
    """A static folder with a stylesheet that writes a line into the page, and the same kind of
    stylesheet outside any static folder (where a PDF must not reach it)."""
    static = tmp_path / "static"
    (static / "pdf-test").mkdir(parents=True)
    (static / "pdf-test" / "loaded.css").write_text('body::after { content: "STATIC STYLESHEET LOADED"; }')
    (static / "pdf-test" / "imports.css").write_text('@import url("../secret.css");')
    (tmp_path / "secret.css").write_text('body::before { content: "SECRET FROM THE DISK"; }')
    settings.STATICFILES_DIRS = [static]
    settings.STATIC_ROOT = tmp_path / "collected"  # empty: found through the finders
    return tmp_path


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _has_image(content: bytes) -> bool:
    for page in PdfReader(io.BytesIO(content)).pages:
        objects = page["/Resources"].get("/XObject", {})
        if any(objects[name].get_object().get("/Subtype") == "/Image" for name in objects):
            return True
    return False


def test_a_static_stylesheet_and_a_data_image_load(files):
    content = render_pdf(
        "pdf/fetch_test.html", {"stylesheets": ["/static/pdf-test/loaded.css"], "images": [DATA_IMAGE]}
    )
    assert "STATIC STYLESHEET LOADED" in _text(content)
    assert _has_image(content)


def test_the_static_scheme_loads_a_static_file(files):
    content = render_pdf("pdf/fetch_test.html", {"stylesheets": ["static:pdf-test/loaded.css"], "images": []})
    assert "STATIC STYLESHEET LOADED" in _text(content)


def test_nothing_is_fetched_from_the_network(files, web_server):
    address, hits = web_server
    content = render_pdf(
        "pdf/fetch_test.html",
        {"stylesheets": [f"{address}/style.css"], "images": [f"{address}/image.png", f"{address}/static/x.png"]},
    )
    assert hits == []
    assert "FETCHED FROM THE NETWORK" not in _text(content)
    assert not _has_image(content)


def test_files_outside_the_static_folders_are_not_read(files):
    secret = files / "secret.css"
    content = render_pdf(
        "pdf/fetch_test.html",
        {
            "stylesheets": [
                secret.as_uri(),  # file:///…/secret.css
                "file:///etc/passwd",
                "../../../../../../etc/passwd",
                "/static/%2e%2e/secret.css",
                "/static/pdf-test/imports.css",  # @import "../secret.css" from inside the static folder
            ],
            "images": ["file:///etc/passwd", "../../etc/passwd"],
        },
    )
    text = _text(content)
    assert "SECRET FROM THE DISK" not in text
    assert "root:" not in text
    assert "What a PDF may load" in text  # the page itself still renders


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("file:///static/pdf/report.css", "pdf/report.css"),
        ("static:pdf/report.css", "pdf/report.css"),
        ("static:/pdf/report.css", "pdf/report.css"),
        ("file:///etc/passwd", None),
        ("file:///static/../etc/passwd", None),
        ("file:///static/%2e%2e/etc/passwd", None),
        ("file:///static/pdf/..%2f..%2fetc/passwd", None),
        ("static:../settings.py", None),
        ("file://evil.example/static/x.css", None),
        ("https://example.org/static/pdf/report.css", None),
        ("ftp://example.org/x", None),
        ("file:///static/", None),
    ],
)
def test_only_static_urls_name_a_static_file(url, name):
    assert static_name_for(url) == name


def test_the_fetcher_refuses_anything_but_static_files_and_data(files):
    fetcher = static_only_url_fetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(RefusedURL):
        fetcher.fetch((files / "secret.css").as_uri())
    with pytest.raises(RefusedURL):
        fetcher.fetch("http://127.0.0.1:9/x.css")
    response = fetcher.fetch("file:///static/pdf-test/loaded.css")
    assert b"STATIC STYLESHEET LOADED" in response.read()
    assert response.content_type == "text/css"
    response.close()
