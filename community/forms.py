from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import EmailFrequency


class NotificationSettingsForm(forms.Form):
    email = forms.ChoiceField(
        label=_("E-mail me about notifications"),
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
    )
    missed_chat = forms.BooleanField(
        label=_("E-mail me about direct messages and chat mentions I have not read"),
        required=False,
        help_text=_(
            "Sent a few minutes after the message arrived, only if you have not "
            "read it by then; with its text."
        ),
    )
