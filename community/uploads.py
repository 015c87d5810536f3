"""Files members upload (forum attachments, chat attachments): which types
are allowed, judged by their content, and how large they may be."""

from __future__ import annotations

from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from community.images import FORMATS, clean_image

# Allowed attachments: extension -> (content type, leading bytes it must have).
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (ZIP,),
    ),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (ZIP,),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (ZIP,)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (ZIP,)),
    ".odp": ("application/vnd.oasis.opendocument.presentation", (ZIP,)),
    ".doc": ("application/msword", (OLE,)),
    ".xls": ("application/vnd.ms-excel", (OLE,)),
    ".ppt": ("application/vnd.ms-powerpoint", (OLE,)),
}


def check_attachment(upload: UploadedFile) -> UploadedFile:
    """Refuse files of the wrong type or size; the type comes from the content.
    Raises forms.ValidationError with the member's (German) message.

    Returns the file to store: for an image, a copy without its metadata.
    """
    limit = settings.FORUM_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("“%(name)s” is too large (at most %(limit)s).")
            % {"name": upload.name, "limit": filesizeformat(limit)}
        )
    suffix = PurePosixPath(upload.name).suffix.lower()
    allowed = ATTACHMENT_TYPES.get(suffix)
    head = upload.read(8)
    upload.seek(0)
    if allowed is None or not head.startswith(allowed[1]):
        raise forms.ValidationError(
            _(
                "“%(name)s” cannot be attached: allowed are PDF, office documents "
                "and images (PNG, JPEG, GIF)."
            )
            % {"name": upload.name}
        )
    upload.content_type = allowed[0]
    if upload.content_type in FORMATS:
        # Decoded size checked, metadata removed: a new file (community.images).
        return clean_image(upload)
    return upload
