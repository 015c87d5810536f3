"""Ending a session ends its sockets (realtime.access, docs/security.md).

Every path that ends sessions or takes access away from a member tells the
member's open sockets after commit: logging out ends that browser's session;
a password change, set or reset every session (the browser that changed it
reloads its pages, still signed in with its renewed session); deactivating a
member (the admin's checkbox) or deleting the row every session; losing the
staff flag changes what the member may see. Connected to the model and auth
signals, so the admin, the actions and allauth's views are all covered; an
account deletion through `accounts.actions.delete_account` says so itself.
"""

from __future__ import annotations

from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_save, pre_save

from accounts.models import User
from realtime.access import access_changed, session_ended


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and request is not None:
        session_ended(
            user.pk, reason="logged_out", sessions=[request.session.session_key]
        )


def _password_changed(sender, request, user, **kwargs) -> None:
    session_ended(user.pk, reason="password_changed")


# Saves that may take access away; others (the last login, a display
# version) cost no query here.
_ACCESS_FIELDS = {"is_active", "is_staff"}


def _remember_access(
    sender, instance: User, raw=False, update_fields=None, **kwargs
) -> None:
    """Before a save: does it take the account's access away?"""
    instance._access_lost = None
    if raw or instance.pk is None or (instance.is_active and instance.is_staff):
        return
    if update_fields is not None and not _ACCESS_FIELDS & set(update_fields):
        return
    if instance.is_deleted:
        return  # accounts.actions.delete_account ends the sessions itself
    before = (
        User.objects.filter(pk=instance.pk).values_list("is_active", "is_staff").first()
    )
    if before is None:
        return
    was_active, was_staff = before
    if was_active and not instance.is_active:
        instance._access_lost = "deactivated"
    elif was_staff and not instance.is_staff:
        instance._access_lost = "staff_flag"


def _access_lost(sender, instance: User, created=False, **kwargs) -> None:
    lost = getattr(instance, "_access_lost", None)
    instance._access_lost = None
    if lost == "deactivated":
        session_ended(instance.pk, reason="deactivated")
    elif lost == "staff_flag":
        access_changed([instance.pk])


def _deleted(sender, instance: User, **kwargs) -> None:
    session_ended(instance.pk, reason="account_deleted")


def connect() -> None:
    user_logged_out.connect(_logged_out, dispatch_uid="accounts.sessions.logout")
    for signal in (password_changed, password_set, password_reset):
        signal.connect(
            _password_changed,
            dispatch_uid=f"accounts.sessions.password.{id(signal)}",
        )
    pre_save.connect(_remember_access, sender=User, dispatch_uid="accounts.pre")
    post_save.connect(_access_lost, sender=User, dispatch_uid="accounts.post")
    post_delete.connect(_deleted, sender=User, dispatch_uid="accounts.deleted")
