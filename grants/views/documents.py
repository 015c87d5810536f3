"""Letters as PDF and the audit dossier as ZIP."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grants import documents
from grants.models import CallOff, CallOffStatus, Reclaim
from grants.permissions import GrantRefused, access_letters, check_staff
from grants.views import refusals_as_page


def _file(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf(content: bytes, name: str) -> HttpResponse:
    return _file(content, name, "application/pdf")


@login_required
@require_GET
@refusals_as_page
def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_letters(request.user, pk)
    if application.approved_amount is None:
        raise GrantRefused(_("There is no grant decision for this application."))
    return _pdf(
        documents.decision_letter(application),
        f"{application.reference}-Zuwendungsbescheid.pdf",
    )


@login_required
@require_GET
@refusals_as_page
def payout_notice(request: HttpRequest, pk: int, call_off_pk: int) -> HttpResponse:
    application = access_letters(request.user, pk)
    call_off = get_object_or_404(
        CallOff, pk=call_off_pk, application=application, status=CallOffStatus.PAID
    )
    return _pdf(
        documents.payout_notice(call_off),
        f"{application.reference}-Auszahlung-{call_off.pk}.pdf",
    )


@login_required
@require_GET
@refusals_as_page
def reclaim_notice(request: HttpRequest, pk: int, reclaim_pk: int) -> HttpResponse:
    application = access_letters(request.user, pk)
    reclaim = get_object_or_404(
        Reclaim, pk=reclaim_pk, application=application, decided_by__isnull=False
    )
    return _pdf(
        documents.reclaim_notice(reclaim),
        f"{application.reference}-Widerruf-{reclaim.pk}.pdf",
    )


@login_required
@require_GET
@refusals_as_page
def dossier(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_letters(request.user, pk)
    check_staff(request.user)
    return _file(
        documents.dossier(application),
        f"{application.reference}-Pruefakte.zip",
        "application/zip",
    )
