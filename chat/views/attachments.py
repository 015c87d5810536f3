"""Chat attachments over HTTP: upload into a room (the composer then sends a
message that links or shows the file), download after the room's check."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts import limits
from chat.actions.attachments import upload_attachment
from chat.models import Attachment
from chat.permissions import Refused, access_room
from community.uploads import check_attachment

# A member shares a few files a minute; a script could fill the disk.
UPLOADS_PER_HOUR = 60


def attachment_url(attachment: Attachment) -> str:
    return reverse("chat:attachment", args=[attachment.pk, attachment.original_name])


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """`file` -> {"url", "name", "image", "markdown"}: what the composer
    inserts into the message (an image is shown, other files are linked)."""
    room, membership = access_room(request.user, pk)
    try:
        limits.take(
            "chat.upload", limits.member_key(request.user), f"{UPLOADS_PER_HOUR}/h"
        )
    except limits.RateLimited as limited:
        refused = JsonResponse({"error": "rate_limited"})
        return limits.too_many_requests(refused, limited)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": "no_file"}, status=400)
    try:
        upload = check_attachment(upload)
        attachment = upload_attachment(request.user, room, membership, upload=upload)
    except forms.ValidationError as refused:
        message = refused.messages[0]
        return JsonResponse({"error": "refused", "message": message}, status=400)
    except Refused as refused:
        return JsonResponse({"error": refused.code}, status=403)
    url = attachment_url(attachment)
    name = attachment.original_name.replace("]", "").replace("[", "")
    markdown = f"![{name}]({url})" if attachment.is_image else f"[{name}]({url})"
    return JsonResponse(
        {"url": url, "name": name, "image": attachment.is_image, "markdown": markdown}
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Served only to members who may open the attachment's room."""
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    access_room(request.user, attachment.room_id)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
