"""Forms for members: registration, profile, directory filters."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.db import transaction
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Municipality, Role, SizeClass, State, Topic
from accounts.queries import resolve_area

format_html_lazy = lazy(format_html, SafeString)

AREA_NOT_FOUND = _(
    "We could not find exactly one municipality or district by that. Please "
    "choose an entry from the suggestions or enter the official municipality "
    "key (AGS, 8 digits) or district key (5 digits)."
)


class AreaField(forms.CharField):
    """A Gemeinde or Kreis, typed as a name, a key, or a suggestion's label."""

    default_error_messages = {"not_found": AREA_NOT_FOUND}

    def clean(self, value) -> Municipality | District | None:
        text = super().clean(value)
        if not text:
            return None
        area = resolve_area(text)
        if area is None:
            raise forms.ValidationError(
                self.error_messages["not_found"], code="not_found"
            )
        return area

    def prepare_value(self, value):
        if isinstance(value, Municipality):
            return f"{value.name} – {value.ags}"
        if isinstance(value, District):
            return f"{value} – {value.key}"
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "list": "area-suggestions",
                "autocomplete": "off",
                "data-area-search": reverse_lazy("accounts:area_search"),
            }
        )
        return attrs


def area_field(**kwargs) -> AreaField:
    return AreaField(
        label=_("Municipality or district"),
        max_length=200,
        help_text=_(
            "The Gemeinde or Kreis you work for: start typing its name or its "
            "official key (AGS)."
        ),
        **kwargs,
    )


class SignupForm(AllauthSignupForm):
    """Registration: allauth's e-mail and password plus who the member is."""

    name = forms.CharField(
        label=_("First and last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Please choose")), *Role.choices]
    )
    area = area_field()
    job_title = forms.CharField(
        label=_("Position (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    accept_terms = forms.BooleanField(
        label=format_html_lazy(
            '{} <a href="{}">{}</a>',
            _("I accept the"),
            reverse_lazy("pages:terms"),
            _("terms of use"),
        ),
        error_messages={"required": _("Please accept the terms of use.")},
    )
    accept_privacy = forms.BooleanField(
        label=format_html_lazy(
            '{} <a href="{}">{}</a>',
            _("I have read the"),
            reverse_lazy("pages:privacy"),
            _("privacy notice"),
        ),
        error_messages={
            "required": _("Please confirm that you have read the privacy notice.")
        },
    )

    field_order = [
        "name",
        "email",
        "password1",
        "password2",
        "role",
        "area",
        "job_title",
        "accept_terms",
        "accept_privacy",
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # allauth sets placeholders instead of visible help; labels do that job.
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def save(self, request):
        # The account, its details and the consents are stored together or not at all.
        with transaction.atomic():
            return super().save(request)

    def custom_signup(self, request, user) -> None:
        from accounts.actions import complete_registration

        complete_registration(
            user,
            name=self.cleaned_data["name"],
            role=self.cleaned_data["role"],
            area=self.cleaned_data["area"],
            job_title=self.cleaned_data["job_title"],
        )


class ProfileForm(forms.Form):
    """A member's own profile. Staff may leave the municipality empty."""

    def __init__(self, *args, member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].required = not member.is_staff

    name = forms.CharField(label=_("First and last name"), max_length=150)
    job_title = forms.CharField(label=_("Position"), max_length=150, required=False)
    area = area_field()
    topics = forms.MultipleChoiceField(
        label=_("Topics you work on"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    offers_text = forms.CharField(
        label=_("We offer"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Experience, concepts or templates your municipality can share."),
    )
    seeks_text = forms.CharField(
        label=_("We are looking for"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Questions on which you would like to hear from peers."),
    )
    show_in_directory = forms.BooleanField(
        label=_("Show me in the member directory"), required=False
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or position"), max_length=100, required=False)
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=[("", _("All topics")), *Topic.choices],
        required=False,
    )
    state = forms.ModelChoiceField(
        label=_("State"),
        queryset=State.objects.order_by("name"),
        empty_label=_("All states"),
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False
    )
    size = forms.ChoiceField(
        label=_("Municipality size"),
        choices=[("", _("All sizes")), *SizeClass.choices],
        required=False,
    )


class RevokeVerificationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
