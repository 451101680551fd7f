"""Receipt uploads: checked by ``common.uploads`` (content, size, no EXIF), then stored privately.

For forms::

    from expenses.uploads import ReceiptField

    class ItemForm(forms.Form):
        receipt = ReceiptField(required=False)

``form.cleaned_data["receipt"]`` is then a ``CleanReceipt`` (or None when nothing was chosen),
ready for ``expenses.services.add_item(..., receipt=...)``. Anywhere else, call
``validate_receipt(uploaded_file) -> CleanReceipt``; it raises ``ValidationError`` with a message
to show by the field.

A receipt is a photo (JPEG, PNG or HEIC, stored re-encoded without metadata, HEIC as JPEG) or a
PDF, smaller than ``settings.RECEIPT_MAX_BYTES`` (10 MB). It is stored under a random name (see
``expenses.models.receipt_path``) in private storage outside the web root; the name the member
chose is kept only for display, with the right extension.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from common.uploads import HEIC, JPEG, PDF, PNG, CheckedUpload, UploadRules, check_upload

# A receipt that passed the checks: the bytes to store, a display name and its real type.
CleanReceipt = CheckedUpload

ACCEPT = "image/jpeg,image/png,image/heic,image/heif,application/pdf,.jpg,.jpeg,.png,.heic,.heif,.pdf"
TYPE_MESSAGE = "The receipt must be a photo (JPEG, PNG or HEIC) or a PDF."
EMPTY = "The file you chose is empty. Choose the photo or PDF of your receipt."


def receipt_rules() -> UploadRules:
    """What a receipt may be (read when a file is checked, so the size setting can change)."""
    return UploadRules(
        allowed={JPEG, PNG, HEIC, PDF},
        max_bytes=settings.RECEIPT_MAX_BYTES,
        wrong_type=TYPE_MESSAGE,
        empty=EMPTY,
        too_big_advice="take the photo again at a smaller size, or scan it as a PDF.",
        fallback_name="receipt",
    )


def validate_receipt(file) -> CleanReceipt:
    """Checks an uploaded receipt and returns what may be stored, or raises ValidationError."""
    return check_upload(file, receipt_rules())


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
