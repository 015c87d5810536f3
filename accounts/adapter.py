"""How allauth stores a new member: with who they are, not only an e-mail address."""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts import limits
from accounts.actions import register_member
from accounts.forms import MAILS_ACT, MAILS_WHO, SignupForm
from accounts.models import User

logger = logging.getLogger(__name__)

# RFC 5321 allows no longer path; the member table holds no more either.
EMAIL_MAX_LENGTH = 254


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's per-address limits count the address the platform trusts."""
        return limits.client_ip(request)

    def clean_email(self, email: str) -> str:
        """Sign-up, password reset and new addresses: refuse what would not
        fit, rather than storing it cut off (without its domain)."""
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                _("An e-mail address can have at most %(count)d characters.")
                % {"count": EMAIL_MAX_LENGTH},
                code="email_too_long",
            )
        return super().clean_email(email)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account e-mail counts against the platform's budget: they go
        to addresses that anyone can type in. The forms refuse beforehand
        while the budget is spent (`check_mail_budget`); this is the backstop for
        whatever else sends (a login of an unconfirmed account)."""
        try:
            limits.take(MAILS_ACT, MAILS_WHO, settings.ACCOUNT_MAILS_GLOBAL_RATE)
        except limits.RateLimited as limited:
            logger.warning(
                "account e-mail %s not sent: platform limit reached, %d s left",
                template_prefix,
                limited.retry_after,
            )
            return
        super().send_mail(template_prefix, email, context)

    def save_user(
        self,
        request: HttpRequest,
        user: User,
        form: BaseForm,
        commit: bool = True,
    ) -> User:
        """Insert the member once and complete: name, role, affiliation, consents.

        allauth sets the e-mail address and the password hash; the registration
        form supplies the rest. allauth's signup form wraps this, the e-mail
        address record and the consents in one transaction (`SignupForm.save`).
        """
        if not commit or not isinstance(form, SignupForm):
            return super().save_user(request, user, form, commit=commit)
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        return register_member(
            user,
            name=data["name"],
            role=data["role"],
            job_title=data["job_title"],
            affiliation=data["municipality"],
            unlisted_name=data.get("unlisted_name", ""),
            unlisted_ags=data.get("unlisted_ags", ""),
        )
