"""The Geschäftsstelle's queue and the review steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grants import forms as grant_forms
from grants import priority, queries
from grants.actions import reports as report_actions
from grants.actions import workflow
from grants.models import State
from grants.permissions import GrantRefused, access_application, check_staff
from grants.views import refusals_as_page
from grants.views.detail import render_detail
from grants.workflow import IN_REVIEW

QUEUE_PAGE_SIZE = 50


@login_required
@require_GET
@refusals_as_page
def queue(request: HttpRequest) -> HttpResponse:
    check_staff(request.user)
    state = request.GET.get("status", "")
    page = Paginator(queries.review_queue(state=state), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    rows = [(a, priority.explained(a.priority_lines)) for a in page]
    programme = queries.current_programme(timezone.localdate())
    return render(
        request,
        "grants/application_queue.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "states": [(s.value, s.label) for s in State if s in IN_REVIEW],
            "programme": programme,
            "pot": queries.programme_budget(programme) if programme else None,
        },
    )


# step -> (form class, its prefix (several forms share one page), the action
# called with the cleaned data)
Step = tuple[Any, str | None, Callable[..., Any]]
STEPS: dict[str, Step] = {
    "start_check": (
        None,
        None,
        lambda user, app, data: workflow.start_check(user, app),
    ),
    "query": (
        grant_forms.QueryForm,
        "query",
        lambda user, app, data: workflow.send_query(
            user, app, question=data["question"], deadline=data["deadline"]
        ),
    ),
    "resume_check": (
        grant_forms.ReasonForm,
        "resume",
        lambda user, app, data: workflow.resume_check(user, app, reason=data["reason"]),
    ),
    "pass_check": (
        grant_forms.NoteForm,
        "pass",
        lambda user, app, data: workflow.pass_check(user, app, note=data["note"]),
    ),
    "assess": (
        grant_forms.AssessForm,
        "assess",
        lambda user, app, data: workflow.assess(
            user, app, vote=data["vote"], reasons=data["reasons"], amount=data["amount"]
        ),
    ),
    "approve": (
        grant_forms.ApproveForm,
        "approve",
        lambda user, app, data: workflow.approve(
            user,
            app,
            amount=data["amount"],
            conditions=data["conditions"],
            reasons=data["reasons"],
        ),
    ),
    "reject": (
        grant_forms.RejectForm,
        "reject",
        lambda user, app, data: workflow.reject(user, app, reasons=data["reasons"]),
    ),
    "query_report": (
        grant_forms.ReportQueryForm,
        "report_query",
        lambda user, app, data: report_actions.query_report(
            user,
            app,
            question=data["question"],
            deadline=data["deadline"],
            sample=data["sample"],
        ),
    ),
    "accept_report": (
        grant_forms.NoteForm,
        "accept",
        lambda user, app, data: report_actions.accept_report(
            user, app, note=data["note"]
        ),
    ),
    "early_start": (
        grant_forms.ReasonForm,
        "early",
        lambda user, app, data: workflow.grant_early_start(
            user, app, reason=data["reason"]
        ),
    ),
}
# Which context name a bound form with errors goes back to the page under.
FORM_NAMES = {
    "query": "query_form",
    "resume_check": "resume_form",
    "pass_check": "pass_form",
    "assess": "assess_form",
    "approve": "approve_form",
    "reject": "reject_form",
    "early_start": "early_start_form",
    "query_report": "report_query_form",
    "accept_report": "accept_form",
}


@login_required
@require_POST
@refusals_as_page
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in STEPS:
        raise Http404
    application = access_application(request.user, pk)
    check_staff(request.user, application)
    form_class, prefix, act = STEPS[name]
    data: dict = {}
    if form_class is not None:
        form = form_class(request.POST, prefix=prefix)
        if not form.is_valid():
            return render_detail(
                request, application, status=400, **{FORM_NAMES[name]: form}
            )
        data = form.cleaned_data
    try:
        act(request.user, application, data)
    except GrantRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Done: the applicant has been notified."))
    return redirect("grants:detail", pk=application.pk)
