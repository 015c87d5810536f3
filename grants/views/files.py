"""Attachments, served only after the permission check (never from a public path)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from grants.permissions import access_attachment
from grants.views import refusals_as_page


@login_required
@require_GET
@refusals_as_page
def attachment_download(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    attachment = access_attachment(request.user, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response
