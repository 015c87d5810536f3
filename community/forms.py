from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import EmailFrequency


class NotificationSettingsForm(forms.Form):
    email = forms.ChoiceField(
        label=_("E-mail me about notifications"),
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
    )
