"""Global moderators' pages: word filter, member moderation page, audit log."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from audit.queries import audit_entries, csv_rows
from moderation import screening
from moderation.actions import filters, notes, sanctions
from moderation.actions.decisions import DecisionRefused
from moderation.forms import (
    AuditFilterForm,
    FilterTestForm,
    LiftForm,
    NoteForm,
    WordFilterForm,
)
from moderation.models import FilterAction, Sanction, WordFilter
from moderation.permissions import check_is_global_moderator
from moderation.queries.history import member_history, sanction_is_active

AUDIT_PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def word_filter(request: HttpRequest) -> HttpResponse:
    check_is_global_moderator(request.user)
    form = WordFilterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filters.add_word(request.user, **form.cleaned_data)
        except DecisionRefused as refused:
            form.add_error("pattern", refused.message)
        else:
            messages.success(request, _("The entry has been added."))
            return redirect("moderation:word_filter")
    test_form = FilterTestForm(request.GET if "text" in request.GET else None)
    result = None
    if test_form.is_bound and test_form.is_valid():
        result = screening.screen_words(test_form.cleaned_data["text"])
    return render(
        request,
        "moderation/wordfilter_list.html",
        {
            "entries": WordFilter.objects.select_related("created_by"),
            "form": form,
            "test_form": test_form,
            "result": result,
            "result_label": FilterAction(result.action).label
            if result and result.action != screening.ALLOW
            else "",
        },
    )


@login_required
@require_POST
def word_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    check_is_global_moderator(request.user)
    entry = get_object_or_404(WordFilter, pk=pk)
    filters.remove_word(request.user, entry)
    messages.success(
        request, _("“%(pattern)s” has been removed.") % {"pattern": entry.pattern}
    )
    return redirect("moderation:word_filter")


@login_required
@require_http_methods(["GET", "POST"])
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check_is_global_moderator(request.user)
    member = get_object_or_404(User, pk=pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notes.add_note(request.user, member, text=form.cleaned_data["text"])
        except DecisionRefused as refused:
            form.add_error("text", refused.message)
        else:
            messages.success(request, _("The note has been saved."))
            return redirect("moderation:member", pk=member.pk)
    history = member_history(member, with_notes=True, limit=100)
    return render(
        request,
        "moderation/member_detail.html",
        {
            "member": member,
            "history": history,
            "form": form,
            "lift_form": LiftForm(),
            "sanction_rows": [(s, sanction_is_active(s)) for s in history.sanctions],
        },
    )


@login_required
@require_POST
def lift_sanction(request: HttpRequest, pk: int) -> HttpResponse:
    check_is_global_moderator(request.user)
    sanction = get_object_or_404(Sanction.objects.select_related("member"), pk=pk)
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason for lifting the sanction."))
    elif sanctions.lift_sanction(
        request.user, sanction, reason=form.cleaned_data["reason"]
    ):
        messages.success(request, _("The sanction has been lifted."))
    return redirect("moderation:member", pk=sanction.member_id)


def _audit_filters(request: HttpRequest) -> tuple[AuditFilterForm, dict]:
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return form, {}
    return form, {k: v for k, v in form.cleaned_data.items() if v}


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    check_is_global_moderator(request.user)
    form, active = _audit_filters(request)
    page = Paginator(audit_entries(**active), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    query = urlencode({k: str(v) for k, v in active.items()})
    return render(
        request,
        "moderation/auditlog_list.html",
        {"form": form, "page": page, "query": query},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    check_is_global_moderator(request.user)
    _form, active = _audit_filters(request)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in csv_rows(audit_entries(**active)))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="protokoll-{stamp}.csv"'
    return response
