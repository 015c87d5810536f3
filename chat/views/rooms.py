"""Chat pages: the rooms list, a room with its history, creating rooms.

Live messaging runs over the WebSocket (realtime.consumers); these pages render
the history on the server, take messages without JavaScript, and serve older
history pages to the client as JSON.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import limits
from accounts.models import User
from chat import actions, queries
from chat.events import message_data, reactions_data, reply_excerpt
from chat.forms import (
    InviteForm,
    MessageForm,
    MuteForm,
    RemoveForm,
    RoomForm,
    SlowModeForm,
)
from chat.models import EDIT_WINDOW, MAX_MESSAGE_LENGTH, REACTIONS, Room, RoomKind
from chat.permissions import (
    Refused,
    access_room,
    can_manage_room,
    check_can_post,
    sanction_refusal,
)
from chat.views.client import client_strings
from community.actions.drafts import discard_draft
from community.queries.drafts import draft_at

# Pages: generous for people, tight for scripts (the socket has its own limits).
SENDS_PER_MINUTE = 20
ROOMS_PER_HOUR = 10


def refusal_text(code: str) -> str:
    texts = {
        "muted": _("You cannot write in this room at the moment."),
        "forbidden": _("You are not allowed to do that."),
        "body_empty": _("Please write a message first."),
        "body_too_long": _("A message can have at most %(count)d characters.")
        % {"count": MAX_MESSAGE_LENGTH},
        "bad_member_count": _("A direct conversation has two to ten members."),
        "suspended": _("Your account is suspended."),
        "slow_mode": _("Slow mode is on in this room. Please wait a moment."),
    }
    return texts.get(code, _("That did not work. Please try again."))


def report_url_template() -> str:
    """The report form of a chat message, with "{id}" for the message's id."""
    url = reverse("moderation:report", args=["chat_message", 999999999])
    return url.replace("999999999", "{id}")


def room_members(room: Room):
    return User.objects.filter(
        chat_memberships__room=room, chat_memberships__removed_at__isnull=True
    ).order_by("name", "pk")


@login_required
@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    # A space's room is made on first use: here, where members find it.
    actions.open_missing_space_rooms()
    # The live counts' words (static/js/chat-rooms.js), "{count}" for the number.
    unread_strings = {
        form: ngettext(
            "%(counter)s unread message", "%(counter)s unread messages", number
        )
        % {"counter": "{count}"}
        for form, number in (("one", 1), ("other", 2))
    }
    return render(
        request,
        "chat/room_list.html",
        {"rooms": queries.rooms_for(request.user), "unread_strings": unread_strings},
    )


@login_required
@require_http_methods(["GET", "POST"])
def room_create(request: HttpRequest) -> HttpResponse:
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            limits.take(
                "chat.create_room",
                limits.member_key(request.user),
                f"{ROOMS_PER_HOUR}/h",
            )
        except limits.RateLimited:
            messages.error(request, _("You have created many rooms; please wait."))
        else:
            room = actions.create_room(
                request.user,
                title=form.cleaned_data["title"],
                is_invite_only=form.cleaned_data["is_invite_only"],
            )
            return redirect("chat:room", pk=room.pk)
    return render(request, "chat/room_form.html", {"form": form})


@login_required
@require_GET
def room_detail(request: HttpRequest, pk: int) -> HttpResponse:
    room, membership = access_room(request.user, pk)
    queries.label_rooms([room], request.user)
    # ?um=<seq>: the history around a message (a search result), not the end.
    around = request.GET.get("um", "")
    around = int(around) if around.isdigit() else None
    page = queries.history(room, limit=queries.HISTORY_PAGE_SIZE, around=around)
    shown_seq = page.messages[-1].seq if around and page.messages else room.last_seq
    can_manage = can_manage_room(request.user, room, membership)
    report_url = report_url_template()
    for message in page.messages:
        message.reaction_list = reactions_data(message)
        if message.reply_to_id:
            message.reply_excerpt = reply_excerpt(message.reply_to)
        message.reveal = can_manage or message.author_id == request.user.pk
        message.report_url = report_url.replace("{id}", str(message.pk))
    read_seq = membership.last_read_seq if membership else None
    # The divider goes before the first message the member has not read.
    first_unread = read_seq + 1 if read_seq is not None else None
    if first_unread is not None and first_unread > room.last_seq:
        first_unread = None
    queries.mark_continuations(page.messages, break_before=first_unread)
    try:
        check_can_post(request.user, room, membership)
        # The request's user was read from the database for this request.
        refusal = sanction_refusal(
            request.user.chat_muted_until,
            request.user.suspended_until,
            timezone.now(),
        )
        if refusal is not None:
            raise refusal
        can_post = True
    except Refused:
        can_post = False
    tools = None
    if can_manage and room.kind != RoomKind.DIRECT:
        members = room_members(room)
        tools = {
            "slow": SlowModeForm(
                prefix="slow", initial={"seconds": room.slow_mode_seconds}
            ),
            "mute": MuteForm(prefix="mute", members=members),
            "remove": RemoveForm(prefix="remove", members=members),
            "removed": (
                queries.removed_members(room) if room.kind == RoomKind.SPACE else []
            ),
        }
    # Opening the room reads it: the list's unread count starts over.
    actions.mark_read(request.user, room, membership, seq=room.last_seq)
    draft = draft_at(request.user, f"chat:{room.pk}") if can_post else None
    context = {
        "room": room,
        "page": page,
        "draft": draft,
        "first_unread": first_unread,
        "can_post": can_post,
        "can_manage": can_manage,
        "tools": tools,
        "members": queries.room_members(room) if room.is_members_only else None,
        "invite_form": (
            InviteForm(user=request.user)
            if can_manage and room.kind in {RoomKind.ADHOC, RoomKind.SEMINAR}
            else None
        ),
        "can_leave": room.kind != RoomKind.SPACE,
        "client_strings": client_strings(),
        "form": MessageForm(initial={"client_id": MessageForm.new_client_id()}),
        "client_config": {
            "room": room.pk,
            "user": request.user.pk,
            # Live messages follow what the page shows: a page around an older
            # message is caught up by the socket's replay.
            "seq": shown_seq,
            "oldest": page.messages[0].seq if page.messages else None,
            "hasMore": page.has_more,
            "readSeq": room.last_seq,
            "historyUrl": reverse("chat:history", args=[room.pk]),
            "editWindow": int(EDIT_WINDOW.total_seconds()),
            "maxLength": MAX_MESSAGE_LENGTH,
            "reactions": list(REACTIONS),
            "slowMode": room.slow_mode_seconds,
            "slowModeExempt": can_manage,
            "reportUrl": report_url,
            "timeZone": settings.TIME_ZONE,
            "profileUrl": reverse("accounts:profile", args=[999999999]).replace(
                "999999999", "{id}"
            ),
            "draftUrl": reverse("community:draft_save"),
            "memberSearchUrl": reverse("accounts:member_search"),
        },
    }
    return render(request, "chat/room_detail.html", context)


@login_required
@require_GET
def room_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Older messages as JSON: `?vor=<seq>` pages back from a sequence number."""
    room, membership = access_room(request.user, pk)
    can_manage = can_manage_room(request.user, room, membership)
    before = request.GET.get("vor")
    if before is not None and not before.isdigit():
        return HttpResponseBadRequest("vor")
    page = queries.history(
        room,
        before=int(before) if before is not None else None,
        limit=queries.HISTORY_PAGE_SIZE,
    )
    return JsonResponse(
        {
            "room": room.pk,
            "seq": room.last_seq,
            "messages": [
                message_data(m, reveal=can_manage or m.author_id == request.user.pk)
                for m in page.messages
            ],
            "has_more": page.has_more,
        }
    )


@login_required
@require_POST
def message_send(request: HttpRequest, pk: int) -> HttpResponse:
    room = access_room(request.user, pk)[0]
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal_text("body_empty"))
        return redirect("chat:room", pk=room.pk)
    try:
        limits.take(
            "chat.send_page", limits.member_key(request.user), f"{SENDS_PER_MINUTE}/m"
        )
    except limits.RateLimited:
        messages.error(request, _("You are sending very fast; please wait a minute."))
        return redirect("chat:room", pk=room.pk)
    try:
        message = actions.send_message(
            request.user,
            room,
            body=form.cleaned_data["body"],
            client_id=form.cleaned_data["client_id"],
        )
    except Refused as refused:
        messages.error(request, refused.detail or refusal_text(refused.code))
        return redirect("chat:room", pk=room.pk)
    discard_draft(request.user, f"chat:{room.pk}")
    return redirect(reverse("chat:room", args=[room.pk]) + f"#m{message.seq}")
