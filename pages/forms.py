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


class SearchForm(forms.Form):
    """The one search of the header: the forum and the chat, with filters."""

    AREAS = [("", _("Forum and chat")), ("forum", _("Forum")), ("chat", _("Chat"))]
    SORTS = [
        ("relevance", _("Best match")),
        ("newest", _("Newest first")),
        ("oldest", _("Oldest first")),
    ]

    q = forms.CharField(label=_("Search for"), max_length=200, required=False)
    bereich = forms.ChoiceField(label=_("Where"), choices=AREAS, required=False)
    space = forms.ModelChoiceField(
        label=_("Space"), queryset=None, required=False, empty_label=_("All spaces")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    state = forms.ModelChoiceField(
        label=_("Land"), queryset=None, required=False, empty_label=_("All Länder")
    )
    author = forms.CharField(
        label=_("Written by"),
        max_length=100,
        required=False,
        help_text=_("A name or part of it."),
    )
    von = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bis = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)

    def __init__(self, *args, spaces, kinds, statuses, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces
        self.fields["kind"].choices = [("", _("All")), *kinds]
        self.fields["status"].choices = [("", _("All")), *statuses]
        self.fields["state"].queryset = states
