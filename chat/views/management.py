"""Room managers' tools: members, mutes, removal, slow mode (with their
permission checks in chat.permissions and audit rows in chat.actions.rooms)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from chat import actions
from chat.forms import (
    InviteForm,
    MuteForm,
    RemoveForm,
    SlowModeForm,
)
from chat.models import Room
from chat.permissions import (
    Refused,
    access_room,
    check_can_manage,
)
from chat.views.rooms import refusal_text, room_members


@login_required
@require_POST
def members_add(request: HttpRequest, pk: int) -> HttpResponse:
    room, membership = access_room(request.user, pk)
    check_can_manage(request.user, room, membership)
    form = InviteForm(request.POST, user=request.user)
    if form.is_valid():
        added = actions.add_members(request.user, room, form.cleaned_data["members"])
        messages.success(
            request,
            ngettext("%(count)d member invited.", "%(count)d members invited.", added)
            % {"count": added},
        )
    else:
        messages.error(request, _("Please choose the members to invite."))
    return redirect("chat:room", pk=room.pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    room = access_room(request.user, pk)[0]
    member = get_object_or_404(User, pk=user_id)
    actions.remove_member(request.user, room, member)
    messages.success(
        request, _("%(name)s was removed from the room.") % {"name": member.name}
    )
    return redirect("chat:room", pk=room.pk)


@login_required
@require_POST
def room_leave(request: HttpRequest, pk: int) -> HttpResponse:
    room = access_room(request.user, pk)[0]
    try:
        actions.leave_room(request.user, room)
    except Refused as refused:
        messages.error(request, refusal_text(refused.code))
        return redirect("chat:room", pk=room.pk)
    messages.success(request, _("You have left the room."))
    return redirect("chat:rooms")


# --- Room managers' tools ------------------------------------------------------


def _managed_room(request: HttpRequest, pk: int) -> Room:
    """The room, if the member manages it (404 if invisible, 403 otherwise)."""
    room, membership = access_room(request.user, pk)
    check_can_manage(request.user, room, membership)
    return room


@login_required
@require_POST
def slow_mode(request: HttpRequest, pk: int) -> HttpResponse:
    room = _managed_room(request, pk)
    form = SlowModeForm(request.POST, prefix="slow")
    if not form.is_valid():
        messages.error(request, _("Please choose an interval."))
        return redirect("chat:room", pk=room.pk)
    seconds = form.cleaned_data["seconds"]
    actions.set_slow_mode(
        request.user, room, seconds=seconds, reason=form.cleaned_data["reason"]
    )
    if seconds:
        text = _("Slow mode is on: one message every %(seconds)d seconds.") % {
            "seconds": seconds
        }
    else:
        text = _("Slow mode is off.")
    messages.success(request, text)
    return redirect("chat:room", pk=room.pk)


@login_required
@require_POST
def member_mute(request: HttpRequest, pk: int) -> HttpResponse:
    room = _managed_room(request, pk)
    form = MuteForm(request.POST, prefix="mute", members=room_members(room))
    if not form.is_valid():
        messages.error(request, _("Please choose a member and a duration."))
        return redirect("chat:room", pk=room.pk)
    member = form.cleaned_data["member"]
    hours = int(form.cleaned_data["hours"])
    until = timezone.now() + timedelta(hours=hours) if hours else None
    try:
        actions.mute_member(
            request.user, room, member, until=until, reason=form.cleaned_data["reason"]
        )
    except Refused as refused:
        messages.error(request, refusal_text(refused.code))
        return redirect("chat:room", pk=room.pk)
    if until:
        text = _("%(name)s cannot write in this room for %(hours)d hours.") % {
            "name": member.display_name,
            "hours": hours,
        }
    else:
        text = _("%(name)s can write in this room again.") % {
            "name": member.display_name
        }
    messages.success(request, text)
    return redirect("chat:room", pk=room.pk)


@login_required
@require_POST
def member_remove_chosen(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove the member chosen in the tools panel's form."""
    room = _managed_room(request, pk)
    form = RemoveForm(request.POST, prefix="remove", members=room_members(room))
    if not form.is_valid():
        messages.error(request, _("Please choose a member."))
        return redirect("chat:room", pk=room.pk)
    member = form.cleaned_data["member"]
    try:
        actions.remove_member(
            request.user, room, member, reason=form.cleaned_data["reason"]
        )
    except Refused as refused:
        messages.error(request, refusal_text(refused.code))
        return redirect("chat:room", pk=room.pk)
    messages.success(
        request, _("%(name)s was removed from the room.") % {"name": member.name}
    )
    return redirect("chat:room", pk=room.pk)


@login_required
@require_POST
def member_readmit(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    room = _managed_room(request, pk)
    member = get_object_or_404(User, pk=user_id)
    actions.readmit_member(request.user, room, member)
    messages.success(
        request, _("%(name)s can use the room again.") % {"name": member.name}
    )
    return redirect("chat:room", pk=room.pk)
