"""Who may see or do what with members."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User


def check_can_verify_members(actor: User) -> None:
    """Only the Geschäftsstelle (staff) confirms municipal affiliations."""
    if not actor.is_authenticated:
        raise PermissionDenied
    if not actor.is_active:
        raise PermissionDenied
    if not actor.is_staff:
        raise PermissionDenied


def access_member_profile(viewer: User, pk: int) -> User:
    """Profiles are for signed-in members; deactivated accounts have none."""
    if not viewer.is_authenticated:
        raise PermissionDenied
    member = get_object_or_404(
        User.objects.select_related(
            "municipality__district__state", "district__state"
        ).prefetch_related("topics"),
        pk=pk,
    )
    if not member.is_active:
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
