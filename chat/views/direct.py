"""Starting direct conversations: from the chat, with a type-ahead over the
member directory, and from a member's profile ("Nachricht senden")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.queries import suggest_members
from accounts.typeahead import suggestion_strings
from chat import actions
from chat.forms import DirectForm, other_members
from chat.permissions import Refused
from chat.views.rooms import refusal_text


@login_required
@require_http_methods(["GET", "POST"])
def direct_start(request: HttpRequest) -> HttpResponse:
    """Choose the members: a type-ahead over the directory (static/js/
    member-picker.js), or without script a search (`?suche=`) whose results
    come as checkboxes, the chosen ones (`?mit=<id>`, repeatable) kept."""
    form = DirectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            room = actions.start_direct(request.user, form.cleaned_data["members"])
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
    return render(request, "chat/direct_form.html", context)


@login_required
@require_POST
def direct_with(request: HttpRequest, user_id: int) -> HttpResponse:
    """ "Send a message" on a profile: the conversation with that member."""
    other = get_object_or_404(other_members(request.user), pk=user_id)
    try:
        room = actions.start_direct(request.user, [other])
    except Refused as refused:
        messages.error(request, refusal_text(refused.code))
        return redirect("accounts:profile", pk=user_id)
    return redirect("chat:room", pk=room.pk)
