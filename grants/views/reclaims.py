"""Revocation and reclaim: the Geschäftsstelle's steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants import forms as grant_forms
from grants.actions import reclaims
from grants.models import Reclaim
from grants.permissions import GrantRefused, access_application, check_staff
from grants.views import refusals_as_page
from grants.views.detail import render_detail


def _staff_application(request: HttpRequest, pk: int):
    application = access_application(request.user, pk)
    check_staff(request.user, application)
    return application


@login_required
@require_POST
@refusals_as_page
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    application = _staff_application(request, pk)
    form = grant_forms.RevocationForm(request.POST, prefix="revoke")
    if not form.is_valid():
        return render_detail(request, application, revocation_form=form, status=400)
    data = form.cleaned_data
    try:
        reclaims.propose_revocation(
            request.user,
            application,
            scope=data["scope"],
            legal_basis=data["legal_basis"],
            reasons=data["reasons"],
            due_on=data["due_on"],
            amount=data["amount"],
        )
    except GrantRefused as refused:
        form.add_error(None, refused.message)
        return render_detail(request, application, revocation_form=form, status=400)
    messages.success(
        request, _("The revocation is proposed; a second person decides on it.")
    )
    return redirect("grants:detail", pk=application.pk)


@login_required
@require_POST
@refusals_as_page
def decide(request: HttpRequest, pk: int, reclaim_pk: int) -> HttpResponse:
    application = _staff_application(request, pk)
    reclaim = get_object_or_404(Reclaim, pk=reclaim_pk, application=application)
    try:
        reclaims.decide_revocation(request.user, reclaim)
    except GrantRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Done: the applicant has been notified."))
    return redirect("grants:detail", pk=application.pk)


@login_required
@require_POST
@refusals_as_page
def repaid(request: HttpRequest, pk: int, reclaim_pk: int) -> HttpResponse:
    application = _staff_application(request, pk)
    reclaim = get_object_or_404(Reclaim, pk=reclaim_pk, application=application)
    form = grant_forms.RepaymentForm(request.POST, prefix="repaid")
    if not form.is_valid():
        return render_detail(request, application, repayment_form=form, status=400)
    try:
        reclaims.record_repayment(
            request.user, reclaim, repaid_on=form.cleaned_data["repaid_on"]
        )
    except GrantRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Done: the applicant has been notified."))
    return redirect("grants:detail", pk=application.pk)
