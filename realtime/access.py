"""How access that ends reaches the sockets already open (docs/security.md,
"How access ends").

Two events, both published after commit to the member's own group
(`user.<id>`), so they reach every socket of the member in every process:

- `access.changed`: who may see what changed for this member (a space's member
  list, a lost staff flag). Every part of each socket checks its
  subscriptions again with the permission functions the views use and drops
  those it may no longer see; the event itself stays on the server.
- `session.ended`: sessions ended (logout, password change, account
  deletion, deactivation, suspension). `sessions` names the ended ones and
  `keep` the one that survives (a password change keeps the browser that
  changed it); with neither, every session of the member ended. Sessions are
  named by `session_tag`, never by their key, which is a credential.

A change for everyone in a room at once (a space turned restricted) travels
on the room bus instead (`chat.access`, realtime.bus.entries). And since an
event may be lost (best effort, like every broadcast), each socket checks on
its heartbeat that its session still exists and still belongs to an active
member (`session_is_valid`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.utils.crypto import constant_time_compare

from realtime import groups
from realtime.publish import publish_on_commit

ACCESS_CHANGED = "access.changed"
SESSION_ENDED = "session.ended"


def session_tag(session_key: str | None) -> str:
    """A name for a session that events may carry: not the key itself."""
    if not session_key:
        return ""
    digest = hashlib.sha256(f"zr-session:{session_key}".encode())
    return digest.hexdigest()[:32]


def access_changed(user_ids: Iterable[int]) -> None:
    """After commit, every open socket of these members checks its
    subscriptions again."""
    audience = [groups.user(pk) for pk in sorted(set(user_ids))]
    if audience:
        publish_on_commit({"type": ACCESS_CHANGED}, to=audience)


def access_changed_for(audience: Iterable[str]) -> None:
    """After commit, every socket in these groups (a thread's watchers)
    checks its subscriptions again."""
    audience = list(audience)
    if audience:
        publish_on_commit({"type": ACCESS_CHANGED}, to=audience)


def session_ended(
    user_id: int,
    *,
    reason: str,
    sessions: Iterable[str | None] | None = None,
    keep: str | None = None,
) -> None:
    """After commit, close the member's sockets of the ended sessions (all of
    them unless `sessions` or `keep`, session keys, say otherwise)."""
    event: dict = {"type": SESSION_ENDED, "reason": reason}
    if sessions is not None:
        event["sessions"] = [session_tag(key) for key in sessions if key]
    if keep:
        event["keep"] = session_tag(keep)
    publish_on_commit(event, to=[groups.user(user_id)])


def ends_session(event: dict, tag: str) -> bool:
    """Does the `session.ended` event end the socket's session `tag`?"""
    if "sessions" in event and tag not in event["sessions"]:
        return False
    return not (event.get("keep") and event["keep"] == tag)


def session_is_valid(session_key: str | None, user_id: int) -> bool:
    """Is the session still there, still the member's, with the member active,
    not suspended and their password unchanged since it began? The same test
    Django's `get_user` makes of every HTTP request, against the store (not
    the copy the socket read at its handshake)."""
    if not session_key:
        return False
    engine = import_module(settings.SESSION_ENGINE)
    data = engine.SessionStore(session_key).load()
    if str(data.get(SESSION_KEY)) != str(user_id):
        return False
    if data.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return False
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is None or not user.is_active or getattr(user, "is_suspended", False):
        return False
    stored_hash = data.get(HASH_SESSION_KEY) or ""
    return constant_time_compare(stored_hash, user.get_session_auth_hash())
