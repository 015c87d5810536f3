"""The review queue and one item with its decision form."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from moderation.actions import appeals, decisions
from moderation.forms import AppealDecisionForm, DecisionForm, QueueFilterForm
from moderation.models import ItemStatus, ReviewItem
from moderation.permissions import (
    allowed_actions,
    check_can_decide_appeal,
    check_can_review_item,
    check_is_moderator,
    is_global_moderator,
)
from moderation.queries.history import member_history
from moderation.queries.queue import (
    open_queue,
    queue_entries,
    queue_spaces,
    target_view,
)

PAGE_SIZE = 50


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    check_is_moderator(request.user)
    spaces = queue_spaces(request.user)
    form = QueueFilterForm(request.GET, spaces=spaces)
    space_id, reason = None, ""
    if form.is_valid():
        space_id = form.cleaned_data["space"]
        reason = form.cleaned_data["reason"]
    items = open_queue(request.user, space_id=space_id, reason=reason)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("seite"))
    context = {
        "form": form,
        "page": page,
        "entries": queue_entries(page),
        "query": _filter_query(form),
    }
    if request.GET.get("fragment"):
        return render(request, "moderation/partials/queue_items.html", context)
    return render(request, "moderation/queue_list.html", context)


def _filter_query(form: QueueFilterForm) -> str:
    """The active filters, for the pagination links."""
    if not form.is_valid():
        return ""
    return urlencode({k: v for k, v in form.cleaned_data.items() if v})


@login_required
@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check_is_moderator(request.user)
    item = get_object_or_404(
        ReviewItem.objects.select_related("space", "author", "closed_by"), pk=pk
    )
    view = target_view(item)
    check_can_review_item(request.user, item, view.spec, view.target)
    if item.target_kind == "decision":
        return _appeal_item(request, item, view)
    is_open = item.status == ItemStatus.OPEN
    actions = (
        allowed_actions(request.user, item, view.spec, view.target)
        if is_open and view.spec is not None
        else []
    )
    form = DecisionForm(request.POST or None, actions=actions)
    if request.method == "POST":
        if not actions:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                decisions.decide(
                    request.user,
                    item,
                    action=data["action"],
                    rule=data["rule"],
                    reason=data["reason"],
                    duration=form.duration_delta,
                    source=data["source"],
                    note=data["note"],
                )
            except decisions.DecisionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The decision has been saved."))
                return redirect("moderation:queue")
    return render(
        request,
        "moderation/item_detail.html",
        {
            "item": item,
            "view": view,
            "target_html": render_to_string(
                view.template,
                {**view.context, "item": item, "view": view},
                request=request,
            ),
            "form": form if actions else None,
            "reports": item.reports.select_related("reporter"),
            "decisions": item.decisions.select_related("moderator"),
            "history": _history(request, item),
        },
    )


def _history(request: HttpRequest, item: ReviewItem):
    if item.author is None:
        return None
    return member_history(item.author, with_notes=is_global_moderator(request.user))


def _appeal_item(request: HttpRequest, item: ReviewItem, view) -> HttpResponse:
    decision = view.target
    appeal = getattr(decision, "appeal", None) if decision is not None else None
    may_decide = False
    if appeal is not None and item.status == ItemStatus.OPEN:
        try:
            check_can_decide_appeal(request.user, appeal)
            may_decide = True
        except PermissionDenied:
            may_decide = False
    form = AppealDecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                appeals.decide_appeal(
                    request.user,
                    appeal,
                    uphold=form.cleaned_data["outcome"] == "uphold",
                    answer=form.cleaned_data["answer"],
                )
            except decisions.DecisionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The objection has been decided."))
                return redirect("moderation:queue")
    return render(
        request,
        "moderation/appeal_detail.html",
        {
            "item": item,
            "decision": decision,
            "appeal": appeal,
            "form": form,
            "history": _history(request, item),
            # The decision's own moderator may decide only when nobody else can.
            "deciding_own": may_decide and decision.moderator_id == request.user.pk,
        },
    )
