"""Receipts: what a receipt may be and what the member is told, the form field, and private storage.

The checks themselves (content, size, EXIF) are tested in ``common/tests/test_uploads.py``."""

from __future__ import annotations

import io
import os
import tempfile

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from PIL import Image

from common.uploads import JPEG, PDF
from expenses import services
from expenses.models import Category
from expenses.tests.factories import (
    ExpenseClaimFactory,
    ExpenseItemFactory,
    receipt_upload,
    upload,
)
from expenses.uploads import TYPE_MESSAGE, ReceiptField, validate_receipt

GPS_IFD = 0x8825


def _exif(content: bytes):
    return Image.open(io.BytesIO(content)).getexif()


def test_a_program_renamed_pdf_is_refused():
    exe = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"\x00" * 200
        + b"This program cannot be run in DOS mode"
    )
    with pytest.raises(ValidationError) as error:
        validate_receipt(upload("receipt.pdf", exe, "application/pdf"))
    assert error.value.messages == [TYPE_MESSAGE]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        validate_receipt(upload("empty.pdf", b"", "application/pdf"))


def test_a_50_mb_file_is_refused_before_it_is_read():
    with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
        handle.write(b"\xff\xd8\xff\xe0")
        handle.truncate(50 * 1024 * 1024)
        handle.flush()
        big = TemporaryUploadedFile("big-photo.jpg", "image/jpeg", 50 * 1024 * 1024, None)
        big.file.close()
        big.file = open(handle.name, "rb")  # noqa: SIM115
        reads = []
        real_read = big.file.read
        big.file.read = lambda *args: reads.append(args) or real_read(*args)
        with pytest.raises(ValidationError) as error:
            validate_receipt(big)
        big.file.close()
    assert error.value.messages[0].startswith("The file must be smaller than 10 MB. Yours is 50 MB")
    assert reads == []


def test_a_file_bigger_than_it_says_is_still_refused(settings):
    settings.RECEIPT_MAX_BYTES = 1024
    file = upload("liar.pdf", b"%PDF-1.4\n" + b"0" * 4096, "application/pdf")
    file.size = 10
    with pytest.raises(ValidationError, match="smaller than"):
        validate_receipt(file)


def test_the_limit_is_the_setting():
    assert settings.RECEIPT_MAX_BYTES == 10 * 1024 * 1024


class ReceiptForm(forms.Form):
    receipt = ReceiptField(required=False)


def test_the_form_field_gives_a_clean_receipt():
    form = ReceiptForm(data={}, files={"receipt": receipt_upload("jpeg_gps")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["receipt"].content_type == JPEG


def test_the_form_field_shows_the_message_by_the_field():
    form = ReceiptForm(data={}, files={"receipt": upload("x.pdf", b"<html></html>", "application/pdf")})
    assert not form.is_valid()
    assert form.errors["receipt"] == [TYPE_MESSAGE]


def test_the_form_field_is_optional_when_asked():
    form = ReceiptForm(data={}, files={})
    assert form.is_valid()
    assert form.cleaned_data["receipt"] is None


@pytest.mark.django_db
def test_the_form_field_leaves_an_existing_receipt_alone():
    item = ExpenseItemFactory(with_receipt=True)
    field = ReceiptField(required=False)
    assert field.clean(None, initial=item.receipt) is None


def test_the_form_field_offers_only_receipt_types():
    html = str(ReceiptForm()["receipt"])
    assert 'accept="image/jpeg,image/png,image/heic' in html


@pytest.mark.django_db
def test_a_stored_receipt_has_a_random_private_name_and_no_location():
    claim = ExpenseClaimFactory()
    clean = validate_receipt(receipt_upload("jpeg_gps", name="my home address.jpg"))
    item = services.add_item(claim=claim, category=Category.PARKING, amount="4.00", receipt=clean)
    path = item.receipt.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert "home" not in os.path.basename(path)
    assert len(os.path.basename(path)) == len("0123456789abcdef0123456789abcdef.jpg")
    assert item.receipt_name == "my home address.jpg"
    with item.receipt.open("rb") as stored:
        assert dict(_exif(stored.read())) == {}


@pytest.mark.django_db
def test_replacing_a_receipt_deletes_the_old_file(django_capture_on_commit_callbacks):
    claim = ExpenseClaimFactory()
    item = services.add_item(
        claim=claim, category=Category.PARKING, amount="4.00", receipt=validate_receipt(receipt_upload("jpeg"))
    )
    old_path = item.receipt.path
    with django_capture_on_commit_callbacks(execute=True):
        item = services.update_item(item=item, amount="4.00", receipt=validate_receipt(receipt_upload("pdf")))
    assert not os.path.exists(old_path)
    assert os.path.exists(item.receipt.path)
    assert item.receipt_content_type == PDF
