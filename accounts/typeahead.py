"""What the member type-ahead (static/js/suggestions.js) says, shared by
every page that offers it: starting a conversation, @-mentions in the chat
and the forum."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def suggestion_strings() -> dict[str, str]:
    """The member type-ahead's announcement (static/js/suggestions.js), one
    form per plural category, "{count}" for the number."""
    return {
        "suggestionsOne": ngettext(
            "%(count)s member found. Up and down arrows to choose, Enter to take.",
            "%(count)s members found. Up and down arrows to choose, Enter to take.",
            1,
        )
        % {"count": "{count}"},
        "suggestionsOther": ngettext(
            "%(count)s member found. Up and down arrows to choose, Enter to take.",
            "%(count)s members found. Up and down arrows to choose, Enter to take.",
            2,
        )
        % {"count": "{count}"},
        "suggestionsNone": _("No member found."),
    }
