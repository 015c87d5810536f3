"""Files members upload (forum attachments, chat attachments): which types
are allowed, judged by their content, and how large they may be."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from community.images import FORMATS, clean_image

# Allowed attachments of the forum and the chat: extension -> (content type,
# leading bytes it must have).
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


FileTypes = dict[str, tuple[str, tuple[bytes, ...]]]


def check_file(
    upload: UploadedFile, *, types: FileTypes, max_bytes: int, not_allowed: str
) -> UploadedFile:
    """Refuse a file of the wrong type or size; the type comes from the
    content (its first bytes must match its name's), not from the browser.
    `not_allowed` is the refusal, with `%(name)s`. Raises
    forms.ValidationError with the member's (German) message; sets the
    stored content type."""
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("“%(name)s” is too large (at most %(limit)s).")
            % {"name": upload.name, "limit": filesizeformat(max_bytes)}
        )
    allowed = types.get(PurePosixPath(upload.name).suffix.lower())
    head = upload.read(8)
    upload.seek(0)
    if allowed is None or not head.startswith(allowed[1]):
        raise forms.ValidationError(not_allowed % {"name": upload.name})
    upload.content_type = allowed[0]
    return upload


def check_attachment(upload: UploadedFile) -> UploadedFile:
    """A forum or chat attachment, checked (`check_file`). Returns the file to
    store: for an image, a copy without its metadata."""
    upload = check_file(
        upload,
        types=ATTACHMENT_TYPES,
        max_bytes=settings.FORUM_ATTACHMENT_MAX_BYTES,
        not_allowed=_(
            "“%(name)s” cannot be attached: allowed are PDF, office documents "
            "and images (PNG, JPEG, GIF)."
        ),
    )
    if upload.content_type in FORMATS:
        # Decoded size checked, metadata removed: a new file (community.images).
        return clean_image(upload)
    return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one field, each checked by `check`; at most
    `max_count()` of them (a callable: settings may change in tests),
    refused with `too_many` (with `%(count)d`)."""

    widget = MultipleFileInput

    def __init__(
        self,
        *,
        check: Callable[[UploadedFile], UploadedFile] = check_attachment,
        max_count: Callable[[], int] = lambda: settings.FORUM_ATTACHMENTS_PER_POST,
        too_many: str = _("Please attach at most %(count)d files."),
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.check, self.max_count, self.too_many = check, max_count, too_many

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        count = self.max_count()
        if len(files) > count:
            raise forms.ValidationError(self.too_many % {"count": count})
        # Each file through FileField's own checks first (bound out here: a
        # comprehension is a scope of its own, where super() fails).
        single = super().clean
        return [self.check(single(upload)) for upload in files]
