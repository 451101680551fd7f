"""Uploads are checked by content with real files, capped in size, and cleaned of location data."""

from __future__ import annotations

import io
import tempfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from PIL import Image

from common.tests.files import (
    docx_bytes,
    heic_bytes,
    jpeg_bytes,
    mp3_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    wav_bytes,
    zip_bytes,
)
from common.uploads import (
    DOCX,
    EXTENSIONS,
    HEIC,
    JPEG,
    M4A,
    MP3,
    OGG,
    PDF,
    PNG,
    WAV,
    UploadRules,
    check_upload,
    sniff,
)

GPS_IFD = 0x8825

RULES = UploadRules(
    allowed={JPEG, PNG, HEIC, PDF},
    max_bytes=1024 * 1024,
    wrong_type="Choose a photo or a PDF.",
    empty="That file is empty.",
    too_big_advice="choose a smaller one.",
)
PHOTOS_ONLY = UploadRules(allowed={JPEG, PNG}, max_bytes=1024 * 1024, wrong_type="Choose a photo.")


def _exif(content: bytes):
    return Image.open(io.BytesIO(content)).getexif()


def test_a_jpeg_with_a_location_is_kept_without_any_exif():
    original = jpeg_bytes(gps=True)
    assert _exif(original).get_ifd(GPS_IFD), "the test photo must carry a location to begin with"
    checked = check_upload(upload("IMG_2041.JPG", original, "image/jpeg"), RULES)
    assert (checked.content_type, checked.name) == (JPEG, "IMG_2041.jpg")
    assert dict(_exif(checked.content)) == {}
    assert b"PhoneMaker" not in checked.content
    assert Image.open(io.BytesIO(checked.content)).size == (40, 30)


def test_a_heic_photo_becomes_a_jpeg_without_its_location():
    checked = check_upload(upload("IMG_0001.HEIC", heic_bytes(gps=True), "image/heic"), RULES)
    assert (checked.content_type, checked.name) == (JPEG, "IMG_0001.jpg")
    image = Image.open(io.BytesIO(checked.content))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}


def test_a_png_stays_a_png():
    checked = check_upload(upload("scan.png", png_bytes(), "image/png"), RULES)
    assert checked.content_type == PNG
    assert Image.open(io.BytesIO(checked.content)).format == "PNG"


def test_a_photo_turned_sideways_by_exif_is_kept_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20)).save(buffer, "JPEG", exif=exif)
    checked = check_upload(upload("sideways.jpg", buffer.getvalue(), "image/jpeg"), RULES)
    assert Image.open(io.BytesIO(checked.content)).size == (20, 40)


def test_a_pdf_is_kept_as_sent_whatever_it_is_called():
    content = pdf_bytes()
    checked = check_upload(upload("ticket.jpg", content, "image/jpeg"), RULES)
    assert (checked.content, checked.content_type, checked.name) == (content, PDF, "ticket.pdf")


def test_only_the_allowed_kinds_get_through():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("ticket.pdf", pdf_bytes(), "application/pdf"), PHOTOS_ONLY)
    assert error.value.messages == ["Choose a photo."]
    assert check_upload(upload("a.png", png_bytes(), "image/png"), PHOTOS_ONLY).content_type == PNG


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("receipt.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"),
        ("receipt.jpg", b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"),
        ("r.pdf", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ],
)
def test_anything_else_is_refused_by_its_content(name, content):
    with pytest.raises(ValidationError) as error:
        check_upload(upload(name, content, "application/pdf"), RULES)
    assert error.value.messages == [RULES.wrong_type]


def test_a_broken_photo_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError, match="could not open this photo"):
        check_upload(upload("cut.jpg", jpeg_bytes()[:40], "image/jpeg"), RULES)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("empty.pdf", b"", "application/pdf"), RULES)
    assert error.value.messages == ["That file is empty."]


def test_a_big_file_is_refused_before_it_is_read():
    with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
        handle.write(b"\xff\xd8\xff\xe0")
        handle.truncate(5 * 1024 * 1024)
        handle.flush()
        big = TemporaryUploadedFile("big-photo.jpg", "image/jpeg", 5 * 1024 * 1024, None)
        big.file.close()
        big.file = open(handle.name, "rb")  # noqa: SIM115
        reads = []
        real_read = big.file.read
        big.file.read = lambda *args: reads.append(args) or real_read(*args)
        with pytest.raises(ValidationError) as error:
            check_upload(big, RULES)
        big.file.close()
    assert error.value.messages == ["The file must be smaller than 1 MB. Yours is 5 MB: choose a smaller one."]
    assert reads == []


def test_a_file_bigger_than_it_says_is_still_refused():
    file = upload("liar.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), "application/pdf")
    file.size = 10
    with pytest.raises(ValidationError, match="smaller than 1 MB"):
        check_upload(file, RULES)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
        (b"\x89PNG\r\n\x1a\n\x00", PNG),
        (b"%PDF-1.7\n", PDF),
        (b"\x00\x00\x00\x18ftypheix\x00\x00", HEIC),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00", HEIC),
        (b"\x00\x00\x00\x18ftypisom\x00\x00", None),  # an MP4 video
        (b"GIF89a", None),
        (b"PK\x03\x04", None),  # a zip (or .docx)
        (b"  %PDF-1.4", None),
    ],
)
def test_types_are_told_by_their_first_bytes(head, kind):
    assert sniff(head) == kind


def test_a_display_name_cannot_carry_a_path_or_control_characters():
    checked = check_upload(upload("../../etc/pass\x00wd\n.pdf", pdf_bytes(), "application/pdf"), RULES)
    assert checked.name == "passwd.pdf"
    nameless = check_upload(upload("...pdf", pdf_bytes(), "application/pdf"), RULES)
    assert nameless.name == "file.pdf"


# --- Library files: Word documents and audio --------------------------------------------------

DOCUMENTS = UploadRules(
    allowed={PDF, DOCX, MP3, M4A, WAV, OGG}, max_bytes=1024 * 1024, wrong_type="Choose a PDF, Word document or audio."
)


def test_a_word_document_is_told_by_what_is_inside_the_zip():
    checked = check_upload(upload("Leaflet draft v3.DOCX", docx_bytes(), "application/octet-stream"), DOCUMENTS)
    assert (checked.content_type, checked.name) == (DOCX, "Leaflet draft v3.docx")
    assert checked.content == docx_bytes()


@pytest.mark.parametrize("content", [zip_bytes(), docx_bytes(macros=True), b"PK\x03\x04" + b"\x00" * 100])
def test_a_zip_a_macro_document_or_a_broken_zip_is_not_a_word_document(content):
    with pytest.raises(ValidationError) as error:
        check_upload(upload("leaflet.docx", content, DOCX), DOCUMENTS)
    assert error.value.messages == [DOCUMENTS.wrong_type]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("reading.mp3", mp3_bytes(), MP3), ("reading.wav", wav_bytes(), WAV)],
)
def test_audio_is_kept_as_sent_with_the_right_extension(name, content, kind):
    checked = check_upload(upload(name.replace(".", "-") + ".bin", content, "application/octet-stream"), DOCUMENTS)
    assert checked.content_type == kind
    assert checked.name.endswith(EXTENSIONS[kind])
    assert checked.content == content


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"ID3\x03\x00", MP3),
        (b"\xff\xfb\x90\x64", MP3),
        (b"RIFF\x24\x08\x00\x00WAVEfmt ", WAV),
        (b"OggS\x00\x02", OGG),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00", M4A),
        (b"RIFF\x24\x08\x00\x00AVI LIST", None),  # a video
    ],
)
def test_audio_types_are_told_by_their_first_bytes(head, kind):
    assert sniff(head) == kind


def test_photos_only_rules_still_refuse_a_word_document():
    with pytest.raises(ValidationError):
        check_upload(upload("a.docx", docx_bytes(), DOCX), PHOTOS_ONLY)
