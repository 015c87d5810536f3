"""Starting direct conversations: from the chat, with a type-ahead over the
member directory, and from a member's profile ("Nachricht senden")."""

from __future__ import annotations

from contextlib import nullcontext

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.limits import RateLimited, too_many_requests
from accounts.models import User
from accounts.queries import suggest_members
from accounts.typeahead import suggestion_strings
from chat import actions, queries
from chat.actions.rooms import direct_key
from chat.forms import DirectForm, other_members
from chat.models import Room
from chat.permissions import Refused
from chat.views.rooms import refusal_text
from moderation import flood


def start_counted(user: User, members: list[User]) -> Room:
    """The conversation of `user` with `members`. Only a new conversation
    counts against the flood limit (RateLimited); the same people get their
    conversation back."""
    key = direct_key([user.pk, *(member.pk for member in members)])
    counted = (
        nullcontext()
        if queries.direct_exists(key)
        else flood.limited(user, flood.DIRECT)
    )
    with counted:
        return actions.start_direct(user, members)


@login_required
@require_http_methods(["GET", "POST"])
def direct_start(request: HttpRequest) -> HttpResponse:
    """Choose the members: a type-ahead over the directory (static/js/
    member-picker.js), or without script a search (`?suche=`) whose results
    come as checkboxes, the chosen ones (`?mit=<id>`, repeatable) kept."""
    form = DirectForm(request.POST or None, user=request.user)
    limited = None
    if request.method == "POST" and form.is_valid():
        try:
            room = start_counted(request.user, form.cleaned_data["members"])
        except RateLimited as refused:
            form.add_error(None, refused)
            limited = refused
        except Refused as refused:
            messages.error(request, refusal_text(refused.code))
        else:
            return redirect("chat:room", pk=room.pk)
    source = request.POST if request.method == "POST" else request.GET
    key = "members" if request.method == "POST" else "mit"
    chosen_ids = [int(i) for i in source.getlist(key) if i.isdigit()][:20]
    chosen = list(other_members(request.user).filter(pk__in=chosen_ids))
    query = request.GET.get("suche", "")[:100].strip()
    results = [
        match
        for match in suggest_members(query, viewer=request.user, limit=20)
        if match.id not in {member.pk for member in chosen}
    ]
    context = {
        "form": form,
        "chosen": chosen,
        "results": results,
        "query": query,
        "suggestions": suggestion_strings(),
    }
    page = render(request, "chat/direct_form.html", context)
    return too_many_requests(page, limited) if limited else page


@login_required
@require_POST
def direct_with(request: HttpRequest, user_id: int) -> HttpResponse:
    """ "Send a message" on a profile: the conversation with that member."""
    other = get_object_or_404(other_members(request.user), pk=user_id)
    try:
        room = start_counted(request.user, [other])
    except RateLimited as limited:
        messages.error(request, limited.messages[0])
        return redirect("accounts:profile", pk=user_id)
    except Refused as refused:
        messages.error(request, refusal_text(refused.code))
        return redirect("accounts:profile", pk=user_id)
    return redirect("chat:room", pk=room.pk)
