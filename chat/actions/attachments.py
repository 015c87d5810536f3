"""Files in the chat: uploaded into a room, then linked or shown by a message."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from chat.models import Attachment, Membership, Room
from chat.permissions import check_can_post


@transaction.atomic
def upload_attachment(
    uploader: User, room: Room, membership: Membership | None, *, upload: UploadedFile
) -> Attachment:
    """Store a file the member may post into `room` (checked by
    community.uploads.check_attachment before); raises like a send would
    (Http404, Refused) when they may not write there."""
    check_can_post(uploader, room, membership)
    return Attachment.objects.create(
        room=room,
        uploader=uploader,
        file=upload,
        original_name=upload.name[:200],
        content_type=upload.content_type,
        size=upload.size,
    )
