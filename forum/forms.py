"""Forms for threads, posts and search. Field errors are German via gettext."""

from __future__ import annotations

import functools

from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.models import SizeClass, State, Topic
from community.models import Space
from community.uploads import AttachmentsField
from forum.models import MAX_POST_LENGTH, MAX_TITLE_LENGTH, ThreadKind, ThreadStatus

ATTACHMENTS_HELP = _(
    "PDF, office documents and images. Images show in the post; you can also "
    "paste or drop an image into the text."
)


class PostTextField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Text"))
        kwargs.setdefault("max_length", MAX_POST_LENGTH)
        kwargs.setdefault(
            "help_text",
            _("Markdown: **bold**, *italic*, > quote, - list. Mention with @**Name**."),
        )
        # Not stripped: leading spaces are Markdown (indented code).
        kwargs["strip"] = False
        super().__init__(widget=forms.Textarea(attrs={"rows": 8}), **kwargs)
        self.error_messages["required"] = _("Please write a text.")

    def clean(self, value):
        value = super().clean(value)
        if not value.strip():
            raise forms.ValidationError(self.error_messages["required"], "required")
        return value


class ThreadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ThreadKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE_LENGTH,
        error_messages={"required": _("Please enter a title.")},
    )
    source = PostTextField()
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", "—"), *Topic.choices], required=False
    )
    state = forms.ModelChoiceField(
        label=_("Region"),
        queryset=State.objects.order_by("name"),
        required=False,
        empty_label=_("Nationwide"),
    )
    size_class = forms.ChoiceField(
        label=_("Municipality size"),
        choices=[("", "—"), *SizeClass.choices],
        required=False,
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: in six months. You will be reminded a week before."),
    )
    files = AttachmentsField(
        label=_("Attachments"), required=False, help_text=ATTACHMENTS_HELP
    )

    def clean(self):
        data = super().clean()
        matchable = data.get("kind") in (ThreadKind.OFFER, ThreadKind.SEEK)
        if matchable and not data.get("topic"):
            self.add_error(
                "topic", _("Offers and seeks need a topic, so they can be matched.")
            )
        return data


class ReplyForm(forms.Form):
    source = PostTextField(label=_("Your reply"))
    files = AttachmentsField(
        label=_("Attachments"), required=False, help_text=ATTACHMENTS_HELP
    )


REPLY_FIELDS_TEMPLATE = "forum/partials/reply_fields.html"


def blank_reply_fields() -> SafeString:
    """The reply form's fields, empty: the same on every page of every thread
    for every reader, so rendered once per process and language (rendering
    them was a sixth of a cached thread page's CPU time). A filled form (a
    quote, errors) is rendered as usual."""
    return _blank_reply_fields(translation.get_language())


@functools.lru_cache(maxsize=8)
def _blank_reply_fields(language: str | None) -> SafeString:
    return render_to_string(REPLY_FIELDS_TEMPLATE, {"form": ReplyForm()})


def forget_rendered_forms(**kwargs) -> None:
    """A template changed while developing (the autoreloader's file_changed):
    render the blank forms again. Deployments restart the processes."""
    _blank_reply_fields.cache_clear()


class EditPostForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE_LENGTH,
        error_messages={"required": _("Please enter a title.")},
    )
    source = PostTextField()
    summary = forms.CharField(
        label=_("Edit summary"),
        max_length=200,
        required=False,
        help_text=_("What did you change? Shown with this version."),
    )

    def __init__(self, *args, with_title: bool, with_summary: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]
        if not with_summary:
            del self.fields["summary"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ThreadStatus.choices)


class ThreadFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *ThreadKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *ThreadStatus.choices],
        required=False,
    )
    like_mine = forms.BooleanField(label=_("Municipalities like mine"), required=False)


class ModerationReasonForm(forms.Form):
    """The reason a moderator gives for a thread tool (kept in the audit log)."""

    reason = forms.CharField(
        label=_("Reason (for the audit log)"), max_length=500, required=False
    )


def slow_mode_label(seconds: int) -> str:
    if seconds == 0:
        return str(_("Off"))
    if seconds < 60:
        return str(_("%(n)d seconds") % {"n": seconds})
    if seconds < 3600:
        return str(_("%(n)d min.") % {"n": seconds // 60})
    return str(_("%(n)d h") % {"n": seconds // 3600})


class SlowModeForm(ModerationReasonForm):
    seconds = forms.TypedChoiceField(
        label=_("Slow mode: one reply per member every"),
        coerce=int,
        choices=[],
    )

    def __init__(self, *args, **kwargs):
        from forum.actions.thread_tools import SLOW_MODE_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["seconds"].choices = [
            (seconds, slow_mode_label(seconds)) for seconds in SLOW_MODE_CHOICES
        ]


class MoveThreadForm(ModerationReasonForm):
    space = forms.ModelChoiceField(
        label=_("Move to space"), queryset=Space.objects.none()
    )

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces


class SplitThreadForm(ModerationReasonForm):
    posts = forms.TypedMultipleChoiceField(
        label=_("Replies to move into the new thread"),
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one reply.")},
    )
    title = forms.CharField(
        label=_("Title of the new thread"),
        max_length=MAX_TITLE_LENGTH,
        error_messages={"required": _("Please enter a title.")},
    )
    space = forms.ModelChoiceField(
        label=_("Space of the new thread"), queryset=Space.objects.none()
    )

    def __init__(self, *args, posts, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].choices = posts
        self.fields["space"].queryset = spaces
