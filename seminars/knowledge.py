"""Event materials as a source of the Wissenssammlung (community.knowledge),
registered from SeminarsConfig.ready().

Materials are few (a handful per event), so they are searched with the
forum's query parser and stemmer (forum.fulltext: words, "phrases",
-exclusions, OR; "Bürgerbusse" finds "Bürgerbus") over a lower-cased text
column, the same on PostgreSQL and SQLite; no second index to keep.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from community import textsearch
from community.knowledge import KnowledgeItem, register_source
from seminars.models import (
    Access,
    Event,
    EventStatus,
    Material,
    RegistrationStatus,
)
from seminars.permissions import is_member, is_staff

KEY = "materials"
LABEL = gettext_lazy("Event material")


def visible_materials(viewer: User) -> QuerySet[Material]:
    """Materials of published events the viewer may open."""
    materials = Material.objects.exclude(event__status=EventStatus.DRAFT)
    if is_staff(viewer):
        return materials
    if not is_member(viewer):
        return materials.filter(access=Access.PUBLIC)
    insider_events = Event.objects.filter(
        Q(
            registrations__participant=viewer,
            registrations__status=RegistrationStatus.CONFIRMED,
        )
        | Q(speakers=viewer)
    )
    return materials.filter(
        Q(access__in=[Access.PUBLIC, Access.MEMBERS])
        | Q(access=Access.PARTICIPANTS, event__in=insider_events)
    )


def _item(material: Material) -> KnowledgeItem:
    event = material.event
    return KnowledgeItem(
        title=material.title,
        kind=KEY,
        kind_label=str(LABEL),
        topic=event.topic,
        url=reverse("seminars:event", args=[event.pk]) + f"#material-{material.pk}",
        origin=_("Event · %(title)s") % {"title": event.title},
        date=material.created_at,
        snippet=Truncator(material.description).chars(240),
    )


def _filtered(viewer: User, topic: str) -> QuerySet[Material]:
    materials = visible_materials(viewer).select_related("event")
    if topic:
        materials = materials.filter(event__topic=topic)
    return materials


def browse_materials(viewer: User, *, topic: str, limit: int) -> list[KnowledgeItem]:
    materials = _filtered(viewer, topic).order_by("-created_at", "-pk")[:limit]
    return [_item(material) for material in materials]


def search_materials(
    viewer: User, query: str, *, topic: str, limit: int
) -> list[KnowledgeItem]:
    condition = textsearch.folded_condition(query)
    if condition is None:
        return []
    materials = (
        _filtered(viewer, topic)
        .annotate(folded=textsearch.fold_expression(F("search_text")))
        .filter(condition)
    )
    return [_item(m) for m in materials.order_by("-created_at", "-pk")[:limit]]


def register() -> None:
    register_source(KEY, LABEL, search=search_materials, browse=browse_materials)
