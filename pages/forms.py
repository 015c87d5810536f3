"""Forms of the public pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AccessibilityFeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("What did you notice?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Describe the barrier: what you wanted to do and what got in the way."
        ),
        error_messages={
            "required": _("Please describe the barrier you noticed."),
            "max_length": _("Please keep your message under 5,000 characters."),
        },
    )
    page_url = forms.CharField(
        label=_("Page or function (optional)"),
        max_length=500,
        required=False,
        help_text=_("For example the address of the page or the name of the form."),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_("Only if you would like an answer."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Please enter a valid e-mail address, or leave it empty.")
        },
    )
