"""Reporting content, and the reporter's own list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from moderation.actions import reports as report_actions
from moderation.actions.decisions import outcome_label
from moderation.forms import ReportForm
from moderation.queries.history import reports_of

PAGE_SIZE = 25


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    target = report_actions.access_report_target(request.user, kind, target_id)
    spec = report_actions.reportable_type(kind)
    back = safe_next(request) or spec.url(target)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_actions.report(
                request.user,
                kind,
                target.pk,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except report_actions.ReportRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your report has been sent to the moderation team. "
                    "You can follow its status under “My reports”."
                ),
            )
        return redirect(back)
    return render(
        request,
        "moderation/report_form.html",
        {
            "form": form,
            "label": spec.label,
            "excerpt": spec.excerpt(target)[:300],
            "back": back,
            "already": report_actions.already_reported(request.user, kind, target.pk),
        },
    )


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    page = Paginator(reports_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    rows = [(r, outcome_label(r.outcome) if r.outcome else "") for r in page]
    return render(request, "moderation/report_list.html", {"page": page, "rows": rows})
