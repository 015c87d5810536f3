"""Call-offs by the municipality, payouts by the Geschäftsstelle."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants import forms as grant_forms
from grants import rules
from grants.actions import payouts
from grants.models import CallOff, PayoutMode
from grants.permissions import GrantRefused, access_application, check_staff
from grants.views import refusals_as_page
from grants.views.detail import render_detail


@login_required
@require_POST
@refusals_as_page
def call_off(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    reimbursement = application.programme.payout_mode == PayoutMode.REIMBURSEMENT
    form = grant_forms.CallOffForm(
        request.POST, request.FILES, reimbursement=reimbursement
    )
    if not form.is_valid():
        return render_detail(request, application, call_off_form=form, status=400)
    data = form.cleaned_data
    try:
        created = payouts.request_call_off(
            request.user,
            application,
            amount=data["amount"],
            reason=data["reason"],
            needed_on=data.get("needed_on"),
            invoices=data.get("invoices", []),
        )
    except GrantRefused as refused:
        form.add_error(None, refused.message)
        return render_detail(request, application, call_off_form=form, status=400)
    messages.success(request, _("The call-off has been sent to the Geschäftsstelle."))
    if rules.call_off_too_early(created.needed_on, today=timezone.localdate()):
        messages.warning(
            request,
            _(
                "The money is needed only on %(date)s, more than two months from "
                "now. Funds may be called off only as far as they are needed within "
                "two months; the Geschäftsstelle may refuse the call-off."
            )
            % {"date": formats.date_format(created.needed_on, "SHORT_DATE_FORMAT")},
        )
    return redirect("grants:detail", pk=application.pk)


def _call_off(request: HttpRequest, pk: int, call_off_pk: int):
    application = access_application(request.user, pk)
    check_staff(request.user, application)
    return application, get_object_or_404(
        CallOff, pk=call_off_pk, application=application
    )


@login_required
@require_POST
@refusals_as_page
def release(request: HttpRequest, pk: int, call_off_pk: int) -> HttpResponse:
    application, found = _call_off(request, pk, call_off_pk)
    form = grant_forms.PayoutForm(request.POST, prefix=f"payout-{found.pk}")
    if not form.is_valid():
        return render_detail(request, application, payout_errors=form, status=400)
    try:
        payouts.release_payout(
            request.user, found, paid_on=form.cleaned_data["paid_on"]
        )
    except GrantRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("Payout released: the applicant has been notified.")
        )
    return redirect("grants:detail", pk=application.pk)


@login_required
@require_POST
@refusals_as_page
def refuse(request: HttpRequest, pk: int, call_off_pk: int) -> HttpResponse:
    application, found = _call_off(request, pk, call_off_pk)
    form = grant_forms.ReasonForm(request.POST, prefix=f"refuse-{found.pk}")
    if not form.is_valid():
        return render_detail(request, application, payout_errors=form, status=400)
    try:
        payouts.refuse_call_off(request.user, found, reason=form.cleaned_data["reason"])
    except GrantRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("Call-off refused: the applicant has been notified.")
        )
    return redirect("grants:detail", pk=application.pk)
