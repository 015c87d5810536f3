"""Who may see or do what with grant applications.

`access_*` fetch or raise, `check_*` raise. A refusal is a `GrantRefused`
(a `PermissionDenied`) carrying a German sentence for the member: views show it
as a message or on a refusal page; nothing has changed when it is raised.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Municipality, User
from grants import workflow
from grants.models import Application, Attachment, Partner, Programme, State


class GrantRefused(PermissionDenied):
    """Something a member or staff asked for that the rules do not allow."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def is_verified_member_of(user: User, municipality_id: str | None) -> bool:
    """A signed-in, active member whose affiliation with that municipality staff
    have verified (a Landkreis member speaks for no Gemeinde)."""
    if not user.is_authenticated or not user.is_active or user.is_deleted:
        return False
    if municipality_id is None or user.municipality_id != municipality_id:
        return False
    return user.is_affiliation_verified


def is_staff(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def can_view_application(user: User, application: Application) -> bool:
    """Staff, and the verified members of the applicant or a partner municipality."""
    if is_staff(user):
        return True
    if is_verified_member_of(user, application.municipality_id):
        return True
    return any(
        is_verified_member_of(user, partner.municipality_id)
        for partner in application.partners.all()
    )


def can_work_on(user: User, application: Application) -> bool:
    """The applicant municipality's verified members work on its applications."""
    return is_verified_member_of(user, application.municipality_id)


def access_application(user: User, pk: int) -> Application:
    application = (
        Application.objects.select_related(
            "programme", "municipality__district__state", "signatory"
        )
        .prefetch_related("partners__municipality")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    if not can_view_application(user, application):
        raise GrantRefused(
            _(
                "This application belongs to another municipality. Only the verified "
                "members of the applicant municipality, its partners and the "
                "Geschäftsstelle can see it."
            )
        )
    return application


def access_attachment(user: User, pk: int) -> Attachment:
    """Attachments: the applicant municipality's verified members and staff only."""
    attachment = Attachment.objects.select_related("application").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    if not (is_staff(user) or can_work_on(user, attachment.application)):
        raise GrantRefused(
            _(
                "Attachments of an application are available only to the verified "
                "members of the applicant municipality and to the Geschäftsstelle."
            )
        )
    return attachment


def access_letters(user: User, pk: int) -> Application:
    """Letters of a case: the applicant municipality's verified members and staff."""
    application = access_application(user, pk)
    if not (is_staff(user) or can_work_on(user, application)):
        raise GrantRefused(
            _(
                "The letters of an application are available only to the verified "
                "members of the applicant municipality and to the Geschäftsstelle."
            )
        )
    return application


def check_verified_member(user: User) -> Municipality:
    """The municipality a member may apply for; refuses everyone else."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if user.municipality_id is None:
        raise GrantRefused(
            _(
                "Micro-grants are applied for by a municipality (Gemeinde). Your "
                "profile names no municipality."
            )
        )
    if not user.is_affiliation_verified:
        raise GrantRefused(
            _(
                "Your affiliation with %(municipality)s has not been verified yet. "
                "Only verified members can apply on behalf of their municipality."
            )
            % {"municipality": user.municipality}
        )
    return user.municipality


def check_can_start_application(user: User, programme: Programme, today) -> None:
    check_verified_member(user)
    if today > programme.closes_on:
        raise GrantRefused(
            _("The application window of %(programme)s has closed.")
            % {"programme": programme}
        )


def check_can_edit(user: User, application: Application) -> None:
    """Drafts only: what was submitted is binding and stays as it was."""
    check_applicant(user, application)
    if application.state != State.DRAFT:
        raise GrantRefused(
            _(
                "A submitted application can no longer be changed. Answer a query "
                "of the Geschäftsstelle or withdraw the application instead."
            )
        )


def check_applicant(user: User, application: Application) -> None:
    if is_verified_member_of(user, application.municipality_id):
        return
    if user.is_authenticated and user.municipality_id == application.municipality_id:
        raise GrantRefused(
            _(
                "Your affiliation with %(municipality)s has not been verified yet. "
                "Only verified members can apply on behalf of their municipality."
            )
            % {"municipality": application.municipality}
        )
    raise GrantRefused(
        _("Only verified members of %(municipality)s can work on this application.")
        % {"municipality": application.municipality}
    )


def check_signatory(user: User, application: Application) -> None:
    """The written-form step: the authorised signatory named by the municipality."""
    check_applicant(user, application)
    signatory = application.signatory
    if signatory is None:
        raise GrantRefused(
            _("Please name the authorised signatory of the municipality first.")
        )
    if user.pk != signatory.pk:
        raise GrantRefused(
            _(
                "Only the authorised signatory named in the application, "
                "%(name)s, can submit it."
            )
            % {"name": signatory.display_name}
        )


def check_signatory_eligible(signatory: User | None, application: Application) -> None:
    """The named signatory must be a verified member of the applicant municipality."""
    if signatory is None or not is_verified_member_of(
        signatory, application.municipality_id
    ):
        raise GrantRefused(
            _("The authorised signatory must be a verified member of %(municipality)s.")
            % {"municipality": application.municipality}
        )


def check_staff(user: User, application: Application | None = None) -> None:
    """The Geschäftsstelle, and never for its members' own municipality."""
    if not is_staff(user):
        raise GrantRefused(
            _("Only the Geschäftsstelle reviews and decides applications.")
        )
    if application is None:
        return
    involved = {application.municipality_id} | {
        partner.municipality_id for partner in application.partners.all()
    }
    if user.municipality_id is not None and user.municipality_id in involved:
        raise GrantRefused(
            _(
                "You belong to a municipality taking part in this application; "
                "another member of the Geschäftsstelle must review it."
            )
        )


def check_decider(user: User, application: Application) -> None:
    """Four eyes by person: whoever assessed does not decide, whatever their roles."""
    check_staff(user, application)
    if application.assessed_by_id is not None and application.assessed_by_id == user.pk:
        raise GrantRefused(
            _(
                "You wrote the assessment of this application. Another person "
                "decides on it (four-eyes principle)."
            )
        )


def check_payer(user: User, application: Application) -> None:
    """Separation of duties: whoever approved the grant does not release its
    money, whatever their roles."""
    check_staff(user, application)
    if application.decided_by_id is not None and application.decided_by_id == user.pk:
        raise GrantRefused(
            _(
                "You approved this grant. Another person releases its payouts "
                "(separation of duties)."
            )
        )


def can_release_payouts(user: User, application: Application) -> bool:
    """Whether `user` may release the grant's payouts (`check_payer`)."""
    try:
        check_payer(user, application)
    except GrantRefused:
        return False
    return True


def check_sees_figures(user: User) -> None:
    """The funder's dashboard is for the Geschäftsstelle."""
    if not is_staff(user):
        raise GrantRefused(_("Only the Geschäftsstelle sees the funder's dashboard."))


def check_capability(user: User, application: Application, capability: str) -> None:
    checks = {
        workflow.SIGNATORY: check_signatory,
        workflow.APPLICANT: check_applicant,
        workflow.STAFF: check_staff,
        workflow.DECIDER: check_decider,
        workflow.PAYER: check_payer,
    }
    checks[capability](user, application)


def check_can_confirm_partner(user: User, partner: Partner) -> None:
    if not is_verified_member_of(user, partner.municipality_id):
        raise GrantRefused(
            _(
                "Only a verified member of %(municipality)s can confirm its "
                "participation."
            )
            % {"municipality": partner.municipality}
        )
