"""Forms for members: registration, profile, directory filters, verification."""

from __future__ import annotations

from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.db import transaction
from django.urls import reverse, reverse_lazy
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import limits
from accounts.models import District, Municipality, Role, SizeClass, State, Topic
from accounts.names import clean_display_name
from accounts.queries import areas_named, resolve_area

# The <datalist> that static/js/municipality-search.js fills with suggestions.
SUGGESTIONS_ID = "municipality-suggestions"
# Account e-mails share one budget for the whole platform: counted where they
# are sent (AccountAdapter.send_mail), checked by the forms that send them.
MAILS_ACT, MAILS_WHO = "accounts.mail", "platform"


def check_mail_budget() -> None:
    """Refuse the form while the platform may send no account e-mail."""
    wait = limits.wait_for(MAILS_ACT, MAILS_WHO, settings.ACCOUNT_MAILS_GLOBAL_RATE)
    if wait > 0:
        raise limits.RateLimited(
            wait,
            gettext(
                "The platform is sending a great many e-mails at the moment. "
                "Please try again %(when)s."
            ),
        )


class MunicipalityField(forms.CharField):
    """A Gemeinde or Kreis, typed as a name, a key, or a suggestion's label.

    Cleans to a `Municipality` or a `District`. Works without JavaScript: an
    exact name or key is enough, and a name several areas share is answered with
    the candidates and their keys.
    """

    default_error_messages = {
        "not_found": _(
            "We could not find a municipality or district by that name or key. "
            "Please choose an entry from the suggestions, or enter the official "
            "municipality key (AGS, 8 digits) or the district key (5 digits)."
        ),
        "ambiguous": _(
            "Several municipalities or districts are called “%(name)s”. Please "
            "enter the one you mean with its key: %(candidates)s."
        ),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Municipality"))
        kwargs.setdefault(
            "help_text",
            _(
                "The Gemeinde or Kreis you work for: start typing its name, or "
                "enter its official key (AGS, 8 digits; district key, 5 digits)."
            ),
        )
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def clean(self, value) -> Municipality | District | None:
        text = super().clean(value)
        if not text:
            return None
        area = resolve_area(text)
        if area is not None:
            return area
        namesakes = areas_named(text)
        if len(namesakes) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={
                    "name": text,
                    "candidates": "; ".join(match.label for match in namesakes),
                },
            )
        raise forms.ValidationError(self.error_messages["not_found"], code="not_found")

    def prepare_value(self, value):
        # The same label as a suggestion, so a stored value reads as chosen.
        if isinstance(value, Municipality):
            return f"{value.name} – {value.ags}"
        if isinstance(value, District):
            return f"{value} – {value.key}"
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "list": SUGGESTIONS_ID,
                "autocomplete": "off",
                "data-municipality-search": reverse_lazy(
                    "accounts:municipality_search"
                ),
            }
        )
        return attrs


def _consent_label(text: str, url_name: str) -> str:
    # One sentence per language, link inside: word order differs in German.
    return mark_safe(text % {"url": escape(reverse(url_name))})  # noqa: S308


def district_choices() -> list:
    """Every Kreis, grouped by Land: a plain select that works without script."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for district in District.objects.select_related("state").order_by(
        "state__name", "name"
    ):
        grouped.setdefault(district.state.name, []).append(
            (district.key, f"{district} – {district.key}")
        )
    return [("", gettext("Please choose")), *grouped.items()]


class UnlistedMunicipalityFields:
    """A Gemeinde the directory does not know yet (an install without the
    GV100AD import, or a new Gemeinde): the member chooses its Kreis and types
    its name, and its AGS if known; staff confirm or correct it when they
    verify the member, which creates it (accounts.actions)."""

    unlisted_fields = (
        "unlisted_district",
        "unlisted_name",
        "unlisted_ags",
    )

    def add_unlisted_fields(self) -> None:
        self.fields["unlisted_district"] = forms.ChoiceField(
            label=_("District (Kreis) of your municipality"),
            choices=district_choices,
            required=False,
        )
        self.fields["unlisted_name"] = forms.CharField(
            label=_("Name of your municipality"),
            max_length=150,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )
        self.fields["unlisted_ags"] = forms.CharField(
            label=_("Official municipality key (AGS), if you know it"),
            max_length=8,
            required=False,
            help_text=_("Eight digits; the Geschäftsstelle checks it."),
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        )

    @property
    def unlisted_open(self) -> bool:
        """Show the section open: it is in use, or the list had no match."""
        if not self.is_bound:
            return False
        used = any(self.data.get(name, "").strip() for name in self.unlisted_fields)
        missed = any(
            error.code == "not_found"
            for error in self.errors.as_data().get("municipality", [])
        )
        return (
            used or missed or any(name in self.errors for name in self.unlisted_fields)
        )

    def clean_unlisted(self, cleaned: dict) -> None:
        """Use the unlisted Gemeinde when its name is given; then the list's
        "not found" no longer stands against the form."""
        name = " ".join(cleaned.get("unlisted_name", "").split())
        key = cleaned.get("unlisted_district", "")
        ags = cleaned.get("unlisted_ags", "").strip()
        if not name:
            if key or ags:
                self.add_error(
                    "unlisted_name", _("Please enter the name of your municipality.")
                )
            return
        district = District.objects.filter(key=key).first() if key else None
        if district is None:
            self.add_error(
                "unlisted_district",
                _("Please choose the district of your municipality."),
            )
            return
        if ags and (not ags.isdigit() or len(ags) != 8):
            self.add_error("unlisted_ags", _("An AGS has eight digits."))
            return
        if ags and not ags.startswith(district.key):
            self.add_error(
                "unlisted_ags",
                _("The AGS of a municipality in %(district)s starts with %(key)s.")
                % {"district": district, "key": district.key},
            )
            return
        # The member found no match in the list, and says why.
        self._errors.pop("municipality", None)
        known = Municipality.objects.filter(ags=ags).first() if ags else None
        cleaned["municipality"] = known or district
        cleaned["unlisted_name"] = "" if known else name
        cleaned["unlisted_ags"] = "" if known else ags


class SignupForm(UnlistedMunicipalityFields, AllauthSignupForm):
    """Registration: allauth's e-mail and password plus who the member is."""

    name = forms.CharField(
        label=_("First and last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Please choose")), *Role.choices]
    )
    municipality = MunicipalityField()
    job_title = forms.CharField(
        label=_("Position (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    accept_terms = forms.BooleanField(
        error_messages={"required": _("Please accept the terms of use.")},
    )
    accept_privacy = forms.BooleanField(
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
        "municipality",
        "job_title",
        "accept_terms",
        "accept_privacy",
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_unlisted_fields()
        self.fields["municipality"].required = False
        # allauth sets placeholders that repeat the labels; the labels suffice.
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        # A form sent back for another field's sake keeps the passwords, so
        # nobody types them twice (see full_clean for when it does not).
        for name in ("password1", "password2"):
            self.fields[name].widget.render_value = True
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["email"].widget.attrs["maxlength"] = 254
        self.fields["accept_terms"].label = _consent_label(
            gettext('I accept the <a href="%(url)s">terms of use</a>'), "pages:terms"
        )
        self.fields["accept_privacy"].label = _consent_label(
            gettext('I have read the <a href="%(url)s">privacy notice</a>'),
            "pages:privacy",
        )

    def clean_name(self) -> str:
        return clean_display_name(self.cleaned_data["name"])

    def clean(self):
        cleaned = super().clean()
        check_mail_budget()
        self.clean_unlisted(cleaned)
        if not cleaned.get("municipality") and "municipality" not in self.errors:
            self.add_error(
                "municipality",
                _(
                    "Please name the municipality or district you work for, or "
                    "describe your municipality below if it is not in the list."
                ),
            )
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        # A refused password is not sent back: the member types a new one, and
        # the error says so.
        if "password1" in self.errors or "password2" in self.errors:
            for name in ("password1", "password2"):
                self.fields[name].widget.render_value = False
            # The bound field copied the help text when it was made.
            self["password1"].help_text = gettext(
                "For your security both password fields are empty again: "
                "please enter the new password twice."
            )

    def save(self, request):
        # allauth stores the member (see AccountAdapter.save_user), then the
        # e-mail address record: together or not at all.
        with transaction.atomic():
            return super().save(request)


class ResetPasswordForm(AllauthResetPasswordForm):
    def clean(self):
        data = super().clean()
        check_mail_budget()
        return data


class ProfileForm(forms.Form):
    """A member's own profile. Staff may leave the municipality empty."""

    name = forms.CharField(
        label=_("First and last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    job_title = forms.CharField(
        label=_("Position (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    municipality = MunicipalityField()
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
        label=_("Show me in the member directory"),
        required=False,
        help_text=_("Only signed-in members can see the directory and profiles."),
    )

    def __init__(self, *args, member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        field = self.fields["municipality"]
        field.required = not member.is_staff
        if member.is_affiliation_verified:
            field.help_text = format_lazy(
                "{} {}",
                field.help_text,
                _(
                    "The Geschäftsstelle has verified your affiliation. If you "
                    "change it, the verified mark is removed until the "
                    "Geschäftsstelle has verified the new one."
                ),
            )

    def clean_name(self) -> str:
        return clean_display_name(self.cleaned_data["name"], member=self.member)


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search text"),
        max_length=100,
        required=False,
        help_text=_(
            "Name, position, municipality or district, or what the member offers "
            "or is looking for."
        ),
    )
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
        help_text=_("For district staff, the size of the district."),
    )


class ConfirmMunicipalityForm(forms.Form):
    """Staff confirm (or correct) a Gemeinde a member named at sign-up."""

    name = forms.CharField(label=_("Name of the municipality"), max_length=150)
    ags = forms.CharField(
        label=_("AGS"),
        max_length=8,
        min_length=8,
        help_text=_("Eight digits, starting with the district key."),
    )

    def clean_ags(self) -> str:
        ags = self.cleaned_data["ags"].strip()
        if not ags.isdigit():
            raise forms.ValidationError(_("An AGS has eight digits."))
        return ags


class RevokeVerificationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeleteAccountForm(forms.Form):
    """The member confirms deleting their own account with their password."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please enter your password.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account cannot be restored."),
        error_messages={
            "required": _("Please confirm that you want to delete your account.")
        },
    )

    def __init__(self, *args, member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(
                _("The password is not correct."), code="wrong_password"
            )
        return password


class StaffDeleteAccountForm(forms.Form):
    reason = forms.CharField(
        label=_("How the member asked for it"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: letter of 3 March, e-mail to the Geschäftsstelle."),
        error_messages={"required": _("Please say how the member asked for it.")},
    )
