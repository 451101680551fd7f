"""Checking an uploaded file by what it *is*, for any app (receipts, library files, report inputs).

``check_upload(file, rules)`` returns a ``CheckedUpload`` to store, or raises ``ValidationError``
with a message to show by the field. What each kind of upload accepts, and the words a person
sees, are the caller's ``UploadRules``; the checks are the same for all:

* **Size first**: a file over ``rules.max_bytes`` is refused before it is read, and reading stops
  at the limit too (a stated size can be wrong).
* **Content, not name**: the first bytes must be a JPEG (``FF D8 FF``), PNG (``89 50 4E 47…``),
  PDF (``%PDF-``) or HEIC/HEIF photo (an ISO-BMFF ``ftyp`` box at offset 4 with brand ``heic``,
  ``heix``, ``mif1``…), MP3 audio (an ``ID3`` tag or an MPEG audio frame), M4A audio (``ftyp``
  brand ``M4A``), WAV (``RIFF…WAVE``) or Ogg audio (``OggS``); or the whole file must be a Word
  document (a zip holding ``[Content_Types].xml`` and ``word/document.xml``, with no macros);
  and the kind must be one of ``rules.allowed``. A web page or a program renamed ``.pdf`` is
  refused; the name and the browser's content type are ignored.
* **Photos are re-encoded** with Pillow, so what is stored has no EXIF (camera, time, **location**)
  or other metadata; the EXIF orientation is applied first so the photo stays upright. HEIC
  photos (iPhones) are decoded with pillow-heif and stored as JPEG, which anyone can open.
* **PDFs, Word documents and audio are stored as sent** after the content check; serve PDFs and
  Word documents only as attachments (audio may play in the page: it cannot run script).
* The display name keeps the person's own file name, without any path or control characters,
  and with the extension of what the file really is.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
HEIC = "image/heic"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MP3 = "audio/mpeg"
M4A = "audio/mp4"
WAV = "audio/wav"
OGG = "audio/ogg"

PHOTOS = frozenset({JPEG, PNG, HEIC})
AUDIO = frozenset({MP3, M4A, WAV, OGG})
# What a checked upload is stored as (HEIC becomes JPEG), with its extension.
EXTENSIONS = {
    JPEG: ".jpg",
    PNG: ".png",
    PDF: ".pdf",
    DOCX: ".docx",
    MP3: ".mp3",
    M4A: ".m4a",
    WAV: ".wav",
    OGG: ".ogg",
}
STORED_TYPES = frozenset(EXTENSIONS)
# The brands of HEIF files phones write (heic/heix: HEVC stills; mif1/msf1: generic HEIF).
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
# AAC audio in an MP4 box (iPhone voice memos, iTunes): not video brands such as isom/mp42.
M4A_BRANDS = {b"M4A ", b"M4B "}
# Pillow's own limit is ~89 million pixels; nothing people upload here needs more than this.
MAX_PIXELS = 50_000_000

UNREADABLE_PHOTO = "We could not open this photo. Try taking it again, or save it as a JPEG or PDF."


@dataclass(frozen=True)
class UploadRules:
    """What one kind of upload accepts, and what a person is told when theirs is refused."""

    allowed: Collection[str]
    max_bytes: int
    wrong_type: str
    empty: str = "The file you chose is empty."
    # Said after "The file must be smaller than 10 MB. Yours is 50 MB: ".
    too_big_advice: str = "choose a smaller file."
    fallback_name: str = "file"
    unreadable_photo: str = UNREADABLE_PHOTO


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed the checks: the bytes to store, a display name and its real type."""

    content: bytes
    name: str
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def megabytes(size: int) -> str:
    """A size as people read it: "10 MB", "2.5 MB"."""
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"


def too_big_message(rules: UploadRules, size: int | None = None) -> str:
    """The limit, and the file's own size with what to do when it is known."""
    limit = megabytes(rules.max_bytes)
    if size:
        return f"The file must be smaller than {limit}. Yours is {megabytes(size)}: {rules.too_big_advice}"
    return f"The file must be smaller than {limit}."


def sniff(head: bytes) -> str | None:
    """The type the first bytes say the file is (JPEG, PNG, PDF, HEIC or audio), or None.

    Word documents are zips, which the first bytes cannot tell apart from any other zip:
    `sniff_document` looks inside."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return HEIC
    if head[4:8] == b"ftyp" and head[8:12] in M4A_BRANDS:
        return M4A
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] in (0xFB, 0xF3, 0xF2)):
        return MP3
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"OggS"):
        return OGG
    return None


def sniff_document(content: bytes) -> str | None:
    """DOCX if the bytes are a Word document: a readable zip with the parts every .docx has,
    and no macros (a .docm renamed .docx is refused). None for anything else."""
    import zipfile

    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if {"[Content_Types].xml", "word/document.xml"} <= names and not any(
        name.lower().endswith("vbaproject.bin") for name in names
    ):
        return DOCX
    return None


def display_name(original: str, content_type: str, fallback: str = "file") -> str:
    """The person's file name, made safe to show and to offer as a download name."""
    stem = PurePath(str(original or "").replace("\\", "/")).stem
    stem = "".join(
        ch for ch in unicodedata.normalize("NFC", stem) if unicodedata.category(ch)[0] not in "CZ" or ch == " "
    )
    stem = stem.strip(" .")[:150] or fallback
    return f"{stem}{EXTENSIONS[content_type]}"


def _read_capped(file, rules: UploadRules) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    chunks, total = [], 0
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(64 * 1024), b""):
        total += len(chunk)
        if total > rules.max_bytes:
            raise ValidationError(too_big_message(rules), code="too_big")
        chunks.append(chunk)
    return b"".join(chunks)


def reencode_photo(content: bytes, kind: str, *, unreadable: str = UNREADABLE_PHOTO) -> tuple[bytes, str]:
    """The photo written again from its pixels alone, upright; HEIC becomes JPEG. Returns (bytes, type)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if kind == HEIC:
        import pillow_heif

        pillow_heif.register_heif_opener()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(unreadable, code="too_many_pixels")
            image.load()
            image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, ValueError):
        raise ValidationError(unreadable, code="unreadable") from None

    # A fresh image from the pixels alone: no EXIF, XMP, text chunks or comments come along.
    if kind == PNG:
        modes, fmt, content_type, options = ("RGB", "RGBA", "L", "LA"), "PNG", PNG, {"optimize": True}
        fallback = "RGBA"
    else:
        modes, fmt, content_type, options = ("RGB", "L"), "JPEG", JPEG, {"quality": 85, "optimize": True}
        fallback = "RGB"
    if image.mode not in modes:
        image = image.convert(fallback)
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    output = io.BytesIO()
    clean.save(output, fmt, **options)
    return output.getvalue(), content_type


def check_upload(file, rules: UploadRules) -> CheckedUpload:
    """Checks an uploaded file against ``rules`` and returns what may be stored, or raises ValidationError."""
    size = getattr(file, "size", None)
    if size is not None and size > rules.max_bytes:
        raise ValidationError(too_big_message(rules, size), code="too_big")
    if size == 0:
        raise ValidationError(rules.empty, code="empty")
    content = _read_capped(file, rules)
    if not content:
        raise ValidationError(rules.empty, code="empty")
    kind = sniff(content[:32]) or sniff_document(content)
    if kind is None or kind not in rules.allowed:
        raise ValidationError(rules.wrong_type, code="type")
    if kind in PHOTOS:
        stored, content_type = reencode_photo(content, kind, unreadable=rules.unreadable_photo)
    else:
        stored, content_type = content, kind
    return CheckedUpload(
        content=stored,
        name=display_name(getattr(file, "name", ""), content_type, rules.fallback_name),
        content_type=content_type,
    )
