"""How allauth stores a new member: with who they are, not only an e-mail address."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.forms import BaseForm
from django.http import HttpRequest

from accounts.actions import register_member
from accounts.forms import SignupForm
from accounts.models import User


class AccountAdapter(DefaultAccountAdapter):
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
