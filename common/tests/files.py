"""Real files for upload tests, made on the spot: photos with and without a location, PDFs.

``jpeg_bytes(gps=True)``, ``png_bytes()``, ``pdf_bytes()``, ``heic_bytes(gps=True)``, and
``upload(name, content, content_type)`` → ``SimpleUploadedFile``.
"""

from __future__ import annotations

import functools
import io

from django.core.files.uploadedfile import SimpleUploadedFile


def _exif_with_location():
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x8825] = {  # GPS: somewhere in London
        1: "N",  # GPSLatitudeRef
        2: (51.0, 30.0, 12.5),  # GPSLatitude
        3: "W",  # GPSLongitudeRef
        4: (0.0, 7.0, 39.0),  # GPSLongitude
    }
    return exif


def jpeg_bytes(*, gps: bool = False, size: tuple[int, int] = (40, 30)) -> bytes:
    """A real JPEG made with Pillow; ``gps=True`` adds EXIF with a camera make and a location."""
    from PIL import Image

    image = Image.new("RGB", size, (200, 120, 40))
    buffer = io.BytesIO()
    if gps:
        image.save(buffer, "JPEG", exif=_exif_with_location())
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (20, 20)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", size, (10, 120, 200, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes(text: str = "Bus ticket 3.20") -> bytes:
    """A small real PDF (one page with a line of text)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def heic_bytes(*, gps: bool = False) -> bytes:
    """A real HEIC photo (as iPhones take them), made with pillow-heif; ``gps=True`` adds a location."""
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 30), (30, 160, 90))
    if gps:
        image.save(buffer, "HEIF", exif=_exif_with_location())
    else:
        image.save(buffer, "HEIF")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _write_member(archive, name: str, data: str | bytes) -> None:
    """Adds a file to a zip with a fixed date, so the same document always has the same bytes
    (tests are parametrised with them, and pytest-xdist's processes must collect the same tests)."""
    import zipfile

    archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), data)


def docx_bytes(*, macros: bool = False) -> bytes:
    """A minimal real Word document (.docx): a zip with the parts Word writes; ``macros=True``
    adds a VBA project, as a .docm renamed .docx would have."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        write = functools.partial(_write_member, archive)
        write(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        write(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Feeling low after having a baby</w:t></w:r></w:p></w:body></w:document>",
        )
        if macros:
            write("word/vbaProject.bin", b"\x00" * 64)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    """A zip that is not a Word document."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _write_member(archive, "notes.txt", "not a document")
    return buffer.getvalue()


def mp3_bytes() -> bytes:
    """The start of an MP3 file: an ID3 tag, then an MPEG audio frame header."""
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400


def wav_bytes() -> bytes:
    """A real, short WAV file (silence)."""
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()
