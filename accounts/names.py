"""What a member may be called: the display name shown with everything they write.

A name is stored in Unicode NFC with single spaces. Refused are characters
that do not show as what they are (control characters such as BEL, ESC and
newlines, bidirectional overrides such as U+202E, zero-width and other
invisible format characters, private-use and unassigned code points) and
stacks of combining marks; a name needs letters, in one script. Members
(not staff) may not take the platform's own names ("Geschäftsstelle",
"Zukunftsraum", "Moderation", ...) nor the name of a staff member: these are
compared as people read them (case, accents, spacing, look-alike letters and
digits ignored).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User

# Unicode categories that never belong in a name: control (Cc), format (Cf:
# bidi controls, zero-width characters, soft hyphen), surrogates (Cs), private
# use (Co), unassigned (Cn), line and paragraph separators (Zl, Zp).
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# More combining marks in a row than any orthography needs ("Zalgo" text).
_MAX_COMBINING_RUN = 3
_SPACES = re.compile(r"\s+")

# Reserved, compared as skeletons (see `skeleton`). Long words anywhere in a
# name; short ones only as a word of their own.
_RESERVED_ANYWHERE = (
    "Geschäftsstelle",
    "Zukunftsraum",
    "Moderation",
    "Moderator",
    "Administrator",
    "Administration",
    "Ehemaliges Mitglied",
    "Former member",
)
_RESERVED_WORDS = ("Admin", "Mod", "Staff", "Team", "Support", "System")

# Letters and digits that read like a Latin letter. Cyrillic and Greek
# look-alikes matter only where a name mixes scripts, which is refused anyway;
# mapped too, for names written wholly in look-alikes.
_LOOKALIKES = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "|": "l",
        "!": "l",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "$": "s",
        "@": "a",
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "l",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "һ": "h",
        "ӏ": "l",
        "м": "m",
        "т": "t",
        "к": "k",
        "н": "h",
        "в": "b",
        "α": "a",
        "ε": "e",
        "ι": "l",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
    }
)
_DIGRAPHS = (("rn", "m"), ("vv", "w"), ("ae", "a"), ("oe", "o"), ("ue", "u"))


def skeleton(name: str) -> str:
    """`name` as people read it: "Geschaeftsstelle", "GESCHÄFTS-STELLE" and
    "Geschäftsste1le" all give "geschaftsstelle"; words joined by a space."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.translate(_LOOKALIKES)
    for pair, single in _DIGRAPHS:
        text = text.replace(pair, single)
    return " ".join(re.findall(r"[^\W\d_]+", text))


# Scripts whose letters look alike: a name may use one of them, not several.
_CONFUSABLE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"}


def _confusable_scripts(name: str) -> set[str]:
    scripts = set()
    for char in name:
        if unicodedata.category(char).startswith("L"):
            # The first word of the character's name: LATIN, CYRILLIC, ...
            script = unicodedata.name(char, "").split(" ", 1)[0]
            if script in _CONFUSABLE_SCRIPTS:
                scripts.add(script)
    return scripts


def _unreadable(name: str) -> bool:
    run = 0
    for char in name:
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            return True
        run = run + 1 if unicodedata.combining(char) else 0
        if run > _MAX_COMBINING_RUN:
            return True
    return False


def _is_reserved(name: str, *, member: User | None) -> bool:
    read = skeleton(name)
    joined = read.replace(" ", "")
    if any(skeleton(term).replace(" ", "") in joined for term in _RESERVED_ANYWHERE):
        return True
    words = set(read.split())
    if any(skeleton(term) in words for term in _RESERVED_WORDS):
        return True
    staff = User.objects.filter(is_staff=True, is_active=True).exclude(name="")
    if member is not None and member.pk is not None:
        staff = staff.exclude(pk=member.pk)
    return any(
        skeleton(other).replace(" ", "") == joined
        for other in staff.values_list("name", flat=True)
    )


def clean_display_name(value: str, *, member: User | None = None) -> str:
    """The name to store, or ValidationError with a German message.

    `member` is the account being named (None at registration); staff may use
    the platform's names, everyone else may not.
    """
    name = unicodedata.normalize("NFC", value)
    if _unreadable(name):
        raise ValidationError(
            _(
                "The name contains characters that do not show reliably "
                "(control characters, line breaks, invisible or "
                "direction-changing characters, stacked accents). Please "
                "remove them."
            ),
            code="unreadable",
        )
    # Other spaces (no-break, thin, ...) become plain ones, runs one.
    name = " ".join(_SPACES.split(name)).strip()
    if not any(unicodedata.category(char).startswith("L") for char in name):
        raise ValidationError(
            _("Please enter your name in letters."), code="no_letters"
        )
    if len(_confusable_scripts(name)) > 1:
        raise ValidationError(
            _(
                "Please write the name in one alphabet, without mixing, for "
                "example, Latin and Cyrillic letters."
            ),
            code="mixed_scripts",
        )
    if not (member is not None and member.is_staff) and _is_reserved(
        name, member=member
    ):
        raise ValidationError(
            _(
                "This name is reserved for the platform and the "
                "Geschäftsstelle. Please use your own name."
            ),
            code="reserved",
        )
    return name
