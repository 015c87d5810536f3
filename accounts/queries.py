"""Reads for members and municipal reference data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import (
    District,
    Municipality,
    SizeClass,
    State,
    StructuralWeaknessRecord,
    User,
)

_KEY_AT_END = re.compile(r"(?:^|\D)(\d{5}|\d{8})\s*$")
_SIZE_BOUNDS = {
    SizeClass.SMALL: (0, 4_999),
    SizeClass.MEDIUM: (5_000, 19_999),
    SizeClass.LARGE: (20_000, 100_000),
    SizeClass.CITY: (100_001, None),
}


@dataclass(frozen=True)
class AreaMatch:
    """A Gemeinde or Kreis as offered to someone picking their municipality."""

    kind: str  # "municipality" or "district"
    key: str
    name: str
    label: str


def _municipality_match(municipality: Municipality) -> AreaMatch:
    district = municipality.district
    return AreaMatch(
        kind="municipality",
        key=municipality.ags,
        name=municipality.name,
        label=(
            f"{municipality.name} ({district}, {district.state}) – {municipality.ags}"
        ),
    )


def _district_match(district: District) -> AreaMatch:
    return AreaMatch(
        kind="district",
        key=district.key,
        name=district.name,
        label=f"{district} ({district.state}) – {district.key}",
    )


def search_areas(query: str, *, limit: int = 20) -> list[AreaMatch]:
    """Gemeinden and Kreise whose name or key matches, best matches first.

    Digits search keys by prefix (an AGS or a district key); anything else names,
    case-insensitively, names starting with the query before names containing it.
    """
    query = query.strip()
    if not query:
        return []
    if query.isdigit():
        municipality_filter = Q(ags__startswith=query)
        district_filter = Q(key__startswith=query)
    else:
        municipality_filter = Q(name__icontains=query)
        district_filter = Q(name__icontains=query)
    municipalities = list(
        Municipality.objects.filter(municipality_filter)
        .select_related("district__state")
        .order_by("name", "ags")[: limit * 3]
    )
    districts = list(
        District.objects.filter(district_filter)
        .select_related("state")
        .order_by("name", "key")[:limit]
    )
    matches = [_district_match(d) for d in districts] + [
        _municipality_match(m) for m in municipalities
    ]
    if query.isdigit():
        matches.sort(key=lambda m: m.key)
    else:
        folded = query.casefold()
        matches.sort(key=lambda m: (not m.name.casefold().startswith(folded), m.name))
    return matches[:limit]


def resolve_area(value: str) -> Municipality | District | None:
    """The Gemeinde or Kreis that a registration form's field names, if exactly one.

    Accepts a bare AGS (8 digits), a bare district key (5 digits), a label from
    `search_areas` ending in the key, or a name that belongs to a single area.
    """
    value = value.strip()
    if not value:
        return None
    key_match = _KEY_AT_END.search(value)
    if key_match:
        key = key_match.group(1)
        if len(key) == 8:
            return (
                Municipality.objects.select_related("district__state")
                .filter(ags=key)
                .first()
            )
        return District.objects.select_related("state").filter(key=key).first()
    municipalities = list(
        Municipality.objects.select_related("district__state").filter(
            name__iexact=value
        )[:2]
    )
    districts = list(
        District.objects.select_related("state").filter(name__iexact=value)[:2]
    )
    candidates = municipalities + districts
    return candidates[0] if len(candidates) == 1 else None


def is_structurally_weak(
    area: Municipality | District, *, on: date | None = None
) -> bool:
    """Whether staff records count the area as structurally weak on a day.

    A record for the municipality itself decides over one for its district.
    """
    record = structural_weakness_record(area, on=on)
    return record is not None and record.is_structurally_weak


def structural_weakness_record(
    area: Municipality | District, *, on: date | None = None
) -> StructuralWeaknessRecord | None:
    """The staff record that decides `is_structurally_weak` on a day, if any
    (grants show its status, e.g. "GRW-Fördergebiet", as the reason)."""
    on = on or timezone.localdate()
    valid = StructuralWeaknessRecord.objects.filter(valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    if isinstance(area, Municipality):
        own = valid.filter(municipality=area).order_by("-valid_from").first()
        if own is not None:
            return own
        area = area.district
    return valid.filter(district=area).order_by("-valid_from").first()


# --- Members ----------------------------------------------------------------
# Reads for member pages (registration, directory, verification queue).


def areas_named(name: str, *, limit: int = 10) -> list[AreaMatch]:
    """Every Gemeinde and Kreis called exactly `name`, to tell namesakes apart.

    `resolve_area` refuses a name that several areas share; the form then lists
    these so that the member can pick one by its key, even without JavaScript.
    """
    name = name.strip()
    if not name:
        return []
    municipalities = (
        Municipality.objects.filter(name__iexact=name)
        .select_related("district__state")
        .order_by("ags")[:limit]
    )
    districts = (
        District.objects.filter(name__iexact=name)
        .select_related("state")
        .order_by("key")[:limit]
    )
    matches = [_district_match(d) for d in districts] + [
        _municipality_match(m) for m in municipalities
    ]
    return matches[:limit]


def size_class_filter(size: SizeClass) -> Q:
    """Members whose municipality (or district, for district staff) has that size."""
    low, high = _SIZE_BOUNDS[size]
    municipality = Q(municipality__population__gte=low)
    district = Q(municipality__isnull=True, district__population__gte=low)
    if high is not None:
        municipality &= Q(municipality__population__lte=high)
        district &= Q(district__population__lte=high)
    return municipality | district


def members_awaiting_verification() -> QuerySet[User]:
    """Members whose affiliation awaits a staff decision, oldest first.

    Neither verified nor refused; a member who names another municipality
    after a refusal is waiting again. Staff accounts are not verified.
    """
    return (
        User.objects.filter(
            is_active=True,
            is_staff=False,
            affiliation_verified_at__isnull=True,
            affiliation_rejected_at__isnull=True,
        )
        .filter(Q(municipality__isnull=False) | Q(district__isnull=False))
        .select_related("municipality__district__state", "district__state")
        .order_by("date_joined")
    )


def listed_members() -> QuerySet[User]:
    """Members other members may find: active, e-mail address confirmed, listed
    in the directory by their own choice, with a name. The directory, other
    members' view of profiles and the chat's choice of people draw on these."""
    from allauth.account.models import EmailAddress

    confirmed = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return User.objects.filter(
        Exists(confirmed), is_active=True, show_in_directory=True
    ).exclude(name="")


def directory_members(
    *,
    q: str = "",
    topic: str = "",
    state: State | None = None,
    role: str = "",
    size: str = "",
) -> QuerySet[User]:
    """Members listed in the directory, matching the filters, by name.

    Only `listed_members`. Affiliation (with Land) and
    topics come along, so a page of any size costs the same few queries.
    """
    members = listed_members()
    # Every word must appear somewhere a peer is described: name, position,
    # Gemeinde or Kreis, "Wir bieten" or "Wir suchen".
    for word in q.split()[:10]:
        members = members.filter(
            Q(name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(municipality__name__icontains=word)
            | Q(district__name__icontains=word)
            | Q(municipality__district__name__icontains=word)
            | Q(offers_text__icontains=word)
            | Q(seeks_text__icontains=word)
        )
    if topic:
        members = members.filter(topics__topic=topic)
    if state is not None:
        members = members.filter(
            Q(municipality__district__state=state) | Q(district__state=state)
        )
    if role:
        members = members.filter(role=role)
    if size:
        members = members.filter(size_class_filter(SizeClass(size)))
    return (
        members.select_related("municipality__district__state", "district__state")
        .prefetch_related("topics")
        .order_by("name", "pk")
        .distinct()
    )


@dataclass(frozen=True)
class MemberSuggestion:
    id: int
    name: str
    detail: str  # role and municipality, to tell people apart
    mention: str  # what the composer inserts: @**Name**, with the id for namesakes


def suggest_members(
    query: str, *, viewer: User, limit: int = 8
) -> list[MemberSuggestion]:
    """Members for a type-ahead (starting a conversation, @-mentions): those
    listed in the directory whose name contains `query`, names starting with
    it first. Two queries."""
    query = " ".join(query.split())
    if not query:
        return []
    found = list(
        listed_members()
        .filter(name__icontains=query)
        .exclude(pk=viewer.pk)
        .select_related("municipality", "district")
        .order_by("name", "pk")[: limit * 4]
    )
    folded = query.casefold()
    found.sort(
        key=lambda m: (
            not m.name.casefold().startswith(folded),
            not any(w.startswith(folded) for w in m.name.casefold().split()),
            m.name,
        )
    )
    found = found[:limit]
    shared = set(
        User.objects.filter(is_active=True, name__in={m.name for m in found})
        .values("name")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("name", flat=True)
    )
    return [
        MemberSuggestion(
            id=member.pk,
            name=member.name,
            detail=", ".join(
                str(part)
                for part in (member.get_role_display(), member.affiliation)
                if part
            ),
            mention=(
                f"@**{member.name}|{member.pk}**"
                if member.name in shared
                else f"@**{member.name}**"
            ),
        )
        for member in found
    ]


# --- Personal data export ----------------------------------------------------
# Accounts' parts of a member's data export (registered in AccountsConfig.ready).


def export_profile(member: User) -> dict[str, Any]:
    """Who the member is on the platform, as stored."""
    municipality, district = member.municipality, member.district
    return {
        "id": member.pk,
        "email": member.email,
        "name": member.name,
        "role": member.role,
        "job_title": member.job_title,
        "municipality_ags": municipality.ags if municipality else None,
        "municipality_name": municipality.name if municipality else None,
        "district_key": district.key if district else None,
        "district_name": str(district) if district else None,
        "unlisted_municipality_name": member.unlisted_municipality_name,
        "unlisted_municipality_ags": member.unlisted_municipality_ags,
        "affiliation_verified_at": member.affiliation_verified_at,
        "affiliation_rejected_at": member.affiliation_rejected_at,
        "offers_text": member.offers_text,
        "seeks_text": member.seeks_text,
        "show_in_directory": member.show_in_directory,
        "is_staff": member.is_staff,
        "date_joined": member.date_joined,
        "last_login": member.last_login,
    }


def export_topics(member: User) -> list[dict[str, Any]]:
    return [
        {"topic": topic.topic, "label": str(topic.get_topic_display())}
        for topic in member.topics.order_by("topic")
    ]


def export_consents(member: User) -> list[dict[str, Any]]:
    return [
        {"document": c.document, "version": c.version, "given_at": c.given_at}
        for c in member.consents.order_by("given_at", "pk")
    ]


def export_email_addresses(member: User) -> list[dict[str, Any]]:
    from allauth.account.models import EmailAddress

    return [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=member).order_by("pk")
    ]
