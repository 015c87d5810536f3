"""The statement of reasons, with the objection form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from moderation.actions import appeals
from moderation.actions.decisions import DecisionRefused
from moderation.actions.sanctions import is_ban_end
from moderation.forms import AppealForm
from moderation.permissions import (
    access_decision,
    can_object,
    check_can_object,
    others_could_decide_appeal,
)
from moderation.queries.history import with_room_titles


@login_required
@require_http_methods(["GET", "POST"])
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = access_decision(request.user, pk)
    form = (
        AppealForm(request.POST or None) if can_object(request.user, decision) else None
    )
    if request.method == "POST":
        check_can_object(request.user, decision)
        if form.is_valid():
            try:
                appeals.object_to(
                    request.user, decision, text=form.cleaned_data["text"]
                )
            except DecisionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _(
                        "Your objection has been received. A member of the "
                        "moderation team will review the decision."
                    ),
                )
                return redirect("moderation:decision", pk=decision.pk)
    return render(
        request,
        "moderation/decision_detail.html",
        {
            "decision": decision,
            "appeal": getattr(decision, "appeal", None),
            "sanctions": with_room_titles(list(decision.sanctions.all())),
            "is_member": decision.member_id == request.user.pk,
            # Said before the member objects: who will review the objection.
            "second_reviewer": decision.moderator is None
            or others_could_decide_appeal(decision.moderator, decision),
            "is_ban": decision.action == "ban",
            "form": form,
            "excerpt": decision.item.excerpt if decision.item else "",
            "unlimited": is_ban_end,
        },
    )
