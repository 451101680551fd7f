"""Receipt uploads: checked by what the file *is*, cleaned, and stored privately.

For forms::

    from expenses.uploads import ReceiptField

    class ItemForm(forms.Form):
        receipt = ReceiptField(required=False)

``form.cleaned_data["receipt"]`` is then a ``CleanReceipt`` (or None when nothing was chosen),
ready for ``expenses.services.add_item(..., receipt=...)``. Anywhere else, call
``validate_receipt(uploaded_file) -> CleanReceipt``; it raises ``ValidationError`` with a message
to show by the field.

The rules:

* **Size first**: a file over ``settings.RECEIPT_MAX_BYTES`` (10 MB) is refused before it is read.
* **Content, not name**: the first bytes must be a JPEG (``FF D8 FF``), PNG (``89 50 4E 47…``),
  PDF (``%PDF-``) or HEIC/HEIF photo (an ISO-BMFF ``ftyp`` box at offset 4 with brand ``heic``,
  ``heix``, ``mif1``…). Anything else – a web page, a program renamed ``.pdf`` – is refused, and
  the name and the browser's content type are ignored.
* **Photos are re-encoded** with Pillow, so what is stored has no EXIF (camera, time, **location**)
  or other metadata; the EXIF orientation is applied first so the photo stays upright. HEIC photos
  (iPhones) are decoded with pillow-heif and stored as JPEG, which any finance team can open.
* **PDFs are stored as sent** after the content check; they are only ever downloaded as
  attachments, never shown inline.
* Stored under a random name (see ``expenses.models.receipt_path``) in private storage outside
  the web root; the name the member chose is kept only for display, with the right extension.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
HEIC = "image/heic"

EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}
# Types a receipt can be stored as (HEIC is converted to JPEG), for the download view.
STORED_TYPES = frozenset(EXTENSIONS)
# The brands of HEIF files phones write (heic/heix: HEVC stills; mif1/msf1: generic HEIF).
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
ACCEPT = "image/jpeg,image/png,image/heic,image/heif,application/pdf,.jpg,.jpeg,.png,.heic,.heif,.pdf"

TYPE_MESSAGE = "The receipt must be a photo (JPEG, PNG or HEIC) or a PDF."
UNREADABLE_PHOTO = "We could not open this photo. Try taking it again, or save it as a JPEG or PDF."
EMPTY = "The file you chose is empty. Choose the photo or PDF of your receipt."
# Pillow's own limit is ~89 million pixels; a receipt never needs more than this.
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class CleanReceipt:
    """A receipt that passed the checks: the bytes to store, a display name and its real type."""

    content: bytes
    name: str
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def max_bytes() -> int:
    return settings.RECEIPT_MAX_BYTES


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"


def too_big_message(size: int | None = None) -> str:
    limit = _megabytes(max_bytes())
    if size:
        return (
            f"The file must be smaller than {limit}. Yours is {_megabytes(size)}: "
            "take the photo again at a smaller size, or scan it as a PDF."
        )
    return f"The file must be smaller than {limit}."


def sniff(head: bytes) -> str | None:
    """The type the first bytes say the file is (one of JPEG, PNG, PDF, HEIC), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return HEIC
    return None


def _read_capped(file) -> bytes:
    """Reads the whole file, but never more than the limit (a stated size can be wrong)."""
    limit = max_bytes()
    if hasattr(file, "seek"):
        file.seek(0)
    chunks, total = [], 0
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(64 * 1024), b""):
        total += len(chunk)
        if total > limit:
            raise ValidationError(too_big_message(), code="too_big")
        chunks.append(chunk)
    return b"".join(chunks)


def display_name(original: str, content_type: str) -> str:
    """The member's file name, made safe to show and to offer as a download name."""
    stem = PurePath(str(original or "").replace("\\", "/")).stem
    stem = "".join(
        ch for ch in unicodedata.normalize("NFC", stem) if unicodedata.category(ch)[0] not in "CZ" or ch == " "
    )
    stem = stem.strip(" .")[:150] or "receipt"
    return f"{stem}{EXTENSIONS[content_type]}"


def _reencode(content: bytes, kind: str) -> tuple[bytes, str]:
    """Decodes the photo and writes it again without any metadata; HEIC becomes JPEG."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if kind == HEIC:
        import pillow_heif

        pillow_heif.register_heif_opener()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(UNREADABLE_PHOTO, code="too_many_pixels")
            image.load()
            image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, ValueError):
        raise ValidationError(UNREADABLE_PHOTO, code="unreadable") from None

    # A fresh image from the pixels alone: no EXIF, XMP, text chunks or comments come along.
    if kind == PNG:
        mode, fmt, content_type, options = ("RGB", "RGBA", "L", "LA"), "PNG", PNG, {"optimize": True}
        fallback = "RGBA"
    else:
        mode, fmt, content_type, options = ("RGB", "L"), "JPEG", JPEG, {"quality": 85, "optimize": True}
        fallback = "RGB"
    if image.mode not in mode:
        image = image.convert(fallback)
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    output = io.BytesIO()
    clean.save(output, fmt, **options)
    return output.getvalue(), content_type


def validate_receipt(file) -> CleanReceipt:
    """Checks an uploaded receipt and returns what may be stored, or raises ValidationError."""
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(too_big_message(size), code="too_big")
    if size == 0:
        raise ValidationError(EMPTY, code="empty")
    content = _read_capped(file)
    if not content:
        raise ValidationError(EMPTY, code="empty")
    kind = sniff(content[:32])
    if kind is None:
        raise ValidationError(TYPE_MESSAGE, code="type")
    if kind == PDF:
        stored, content_type = content, PDF
    else:
        stored, content_type = _reencode(content, kind)
    return CleanReceipt(
        content=stored, name=display_name(getattr(file, "name", ""), content_type), content_type=content_type
    )


def store_receipt(item, receipt: CleanReceipt) -> None:
    """Saves the receipt on the item under a random private name (replacing any earlier one).

    The item is not saved here; the caller saves it. An earlier file is deleted once the change
    is committed, so a failed save never loses the receipt the member already had.
    """
    old_name = item.receipt.name if item.receipt else ""
    item.receipt.save(f"receipt{receipt.extension}", ContentFile(receipt.content), save=False)
    item.receipt_name = receipt.name
    item.receipt_content_type = receipt.content_type
    if old_name:
        storage = item.receipt.storage
        transaction.on_commit(lambda: storage.delete(old_name))


def delete_receipt_file(item) -> None:
    """Removes the item's receipt file once the surrounding transaction commits."""
    if item.receipt:
        storage, name = item.receipt.storage, item.receipt.name
        transaction.on_commit(lambda: storage.delete(name))


class ReceiptField(forms.FileField):
    """A file field that accepts only real receipts; its cleaned value is a ``CleanReceipt``.

    Returns None when no file was chosen (``required=False``). The browser's file picker is
    told which types to offer, but nothing relies on that.
    """

    default_error_messages = {
        **forms.FileField.default_error_messages,
        "required": "Choose a photo or PDF of your receipt.",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("help_text", "A photo (JPEG, PNG or HEIC) or a PDF, smaller than 10 MB.")
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        # Size and content are checked by validate_receipt with our own messages; the empty
        # check in FileField would say "The submitted file is empty" in Django's words.
        if data in self.empty_values:
            return None
        if not getattr(data, "name", None):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return data

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not isinstance(value, UploadedFile):
            return None  # nothing new chosen (an existing receipt stays as it is)
        return validate_receipt(value)
