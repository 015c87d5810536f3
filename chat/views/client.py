"""The chat client's words (static/js/chat.js), in the page's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.typeahead import suggestion_strings
from chat.models import MAX_MESSAGE_LENGTH


def client_strings() -> dict[str, str]:
    """The chat client's words, in the page's language (static/js/chat.js)."""
    return {
        "connecting": _("Connecting…"),
        "live": _("Live: new messages appear automatically."),
        "offline": _("Connection lost. Reconnecting…"),
        "pending": _("sending…"),
        "failed": _("not sent"),
        "retry": _("Send again"),
        "rateLimited": _("You are sending very fast. Please wait a moment."),
        "muted": _("You cannot write in this room at the moment."),
        "tooLong": _("A message can have at most %(count)d characters.")
        % {"count": MAX_MESSAGE_LENGTH},
        "error": _("That did not work. Please try again."),
        "edited": _("edited"),
        "deleted": _("This message was deleted."),
        "formerMember": _("Former member"),
        "reply": _("Reply"),
        "react": _("React"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "confirmDelete": _("Delete this message?"),
        "inReplyTo": _("In reply to %(name)s"),
        "replyingTo": _("Replying to %(name)s"),
        "typingOne": _("%(name)s is typing…"),
        "typingMany": _("%(names)s are typing…"),
        "online": _("Online now: %(names)s"),
        "newMessages": _("New messages"),
        "reactions": _("Reactions"),
        "editLabel": _("Edit your message"),
        "report": _("Report"),
        "hidden": _("Hidden by the moderation"),
        "removed": _("Removed by the moderation"),
        "awaitingApproval": _("Awaiting approval"),
        "suspended": _("Your account is suspended."),
        "slowMode": _("Slow mode: one message every %(seconds)d seconds"),
        "slowModeWait": _("Slow mode: you can write again in %(seconds)d seconds."),
        "mutedFor": _("You cannot write in this room for %(minutes)d more minutes."),
        "noLiveConnection": _(
            "Your browser has no live connection: reload the page to see new messages."
        ),
        "nextMessage": _("Next message"),
        "previousMessage": _("Previous message"),
        "replyToMessage": _("Reply to the message (or write a new one)"),
        **suggestion_strings(),
    }
