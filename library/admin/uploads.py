"""Checking files coordinators attach to a resource (by content, capped in size)."""

from __future__ import annotations

from django.conf import settings

from common.uploads import AUDIO, DOCX, JPEG, PDF, PNG, UploadRules

ACCEPT = ".pdf,.docx,.jpg,.jpeg,.png,.mp3,.m4a,.wav,.ogg,application/pdf,image/jpeg,image/png,audio/*"


def library_file_rules() -> UploadRules:
    """What a library file may be (read when a file is checked, so the size setting can change)."""
    return UploadRules(
        allowed={PDF, DOCX, JPEG, PNG, *AUDIO},
        max_bytes=settings.LIBRARY_FILE_MAX_BYTES,
        wrong_type=(
            "The file must be a PDF, a Word document (.docx), a photo (JPEG or PNG) or audio (MP3, M4A, WAV or Ogg)."
        ),
        empty="The file you chose is empty.",
        too_big_advice="make it smaller (for example, save the PDF at a lower quality).",
        fallback_name="resource",
    )
