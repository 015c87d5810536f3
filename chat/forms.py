"""Forms of the chat pages (the live chat itself speaks WebSocket frames)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.queries import listed_members
from chat.models import MAX_CLIENT_ID_LENGTH, MAX_DIRECT_MEMBERS, MAX_MESSAGE_LENGTH


class RoomForm(forms.Form):
    title = forms.CharField(label=_("Name of the room"), max_length=120)
    is_invite_only = forms.BooleanField(
        label=_("Invited members only"),
        required=False,
        help_text=_(
            "Without this, every member can find and join the room. With it, "
            "only the members you invite can see it."
        ),
    )


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        affiliation = obj.affiliation
        return f"{obj.name} ({affiliation})" if affiliation else obj.name


def other_members(user: User):
    """Whom a member may choose for a conversation or an invitation: those
    others can find (directory opt-out and unconfirmed accounts hide)."""
    return (
        listed_members()
        .exclude(pk=user.pk)
        .select_related("municipality", "district")
        .order_by("name", "pk")
    )


class DirectForm(forms.Form):
    """The members chosen for a direct conversation. The page renders only the
    chosen ones and the search's results as checkboxes (never every member);
    the field accepts any other active member."""

    members = MembersField(
        label=_("With whom?"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one member.")},
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = other_members(user)

    def clean_members(self):
        members = self.cleaned_data["members"]
        if len(members) > MAX_DIRECT_MEMBERS - 1:
            raise forms.ValidationError(
                _("A direct conversation has at most %(count)d members."),
                params={"count": MAX_DIRECT_MEMBERS},
            )
        return members


class InviteForm(forms.Form):
    members = MembersField(label=_("Invite members"), queryset=User.objects.none())

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = other_members(user)


class MessageForm(forms.Form):
    """Writing without JavaScript; the hidden client id makes a second submit
    of the same form (reload, double click) store nothing twice."""

    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_id = forms.CharField(
        max_length=MAX_CLIENT_ID_LENGTH, widget=forms.HiddenInput
    )

    @staticmethod
    def new_client_id() -> str:
        return uuid.uuid4().hex


SLOW_MODE_CHOICES = [
    (0, _("Off")),
    (10, _("10 seconds")),
    (30, _("30 seconds")),
    (60, _("1 minute")),
    (300, _("5 minutes")),
    (900, _("15 minutes")),
]
MUTE_CHOICES = [
    ("1", _("1 hour")),
    ("24", _("24 hours")),
    ("168", _("7 days")),
    ("0", _("Lift the mute")),
]


class ReasonField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Reason (recorded in the audit log)"))
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class SlowModeForm(forms.Form):
    seconds = forms.TypedChoiceField(
        label=_("Slow mode: one message per member every"),
        choices=SLOW_MODE_CHOICES,
        coerce=int,
    )
    reason = ReasonField()


class RoomMemberField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class MuteForm(forms.Form):
    member = RoomMemberField(label=_("Member"), queryset=User.objects.none())
    hours = forms.ChoiceField(
        label=_("Duration"), choices=MUTE_CHOICES, widget=forms.RadioSelect
    )
    reason = ReasonField()

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class RemoveForm(forms.Form):
    member = RoomMemberField(label=_("Member"), queryset=User.objects.none())
    reason = ReasonField()

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
