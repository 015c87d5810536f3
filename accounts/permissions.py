"""Who may see or do what with members."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.queries import listed_members


def check_can_verify_members(actor: User) -> None:
    """Only the Geschäftsstelle (staff) confirms municipal affiliations."""
    if not actor.is_authenticated:
        raise PermissionDenied
    if not actor.is_active:
        raise PermissionDenied
    if not actor.is_staff:
        raise PermissionDenied


def can_view_profile(viewer: User, member: User) -> bool:
    """Profiles are for signed-in members; deactivated accounts have none.

    A member who opted out of the directory (or never confirmed their e-mail
    address) is seen by themself and by staff only, whatever id is asked for.
    """
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if not member.is_active:
        return False
    if viewer.pk == member.pk or viewer.is_staff:
        return True
    return listed_members().filter(pk=member.pk).exists()


def access_member_profile(viewer: User, pk: int) -> User:
    """The profile `viewer` asks for, or Http404 (see `can_view_profile`)."""
    if not viewer.is_authenticated:
        raise PermissionDenied
    member = get_object_or_404(
        User.objects.select_related(
            "municipality__district__state", "district__state"
        ).prefetch_related("topics"),
        pk=pk,
    )
    if not can_view_profile(viewer, member):
        raise Http404
    return member


def check_can_delete_account(actor: User, member: User) -> None:
    """A member deletes their own account; staff may on a member's request.

    Only a superuser may delete a superuser's account.
    """
    if not actor.is_authenticated:
        raise PermissionDenied
    if not actor.is_active:
        raise PermissionDenied
    if actor.pk == member.pk:
        return
    if not actor.is_staff:
        raise PermissionDenied
    if member.is_superuser and not actor.is_superuser:
        raise PermissionDenied


def check_can_export_data(actor: User) -> None:
    """The export holds a member's own data; only they can download it."""
    if not actor.is_authenticated:
        raise PermissionDenied
    if not actor.is_active:
        raise PermissionDenied


def check_can_delete_on_request(actor: User, member: User) -> None:
    """Staff delete another member's account when the member asks them to."""
    if not actor.is_authenticated:
        raise PermissionDenied
    if not actor.is_staff:
        raise PermissionDenied
    check_can_delete_account(actor, member)
