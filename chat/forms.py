"""Forms of the chat pages (the live chat itself speaks WebSocket frames)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
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
    return (
        User.objects.filter(is_active=True)
        .exclude(pk=user.pk)
        .select_related("municipality", "district")
        .order_by("name", "pk")
    )


class DirectForm(forms.Form):
    members = MembersField(
        label=_("With whom?"),
        queryset=User.objects.none(),
        help_text=_("Choose one to nine members."),
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
