"""Demo threads for a local instance (called by `manage.py seed_demo`).

Idempotent: a thread whose title exists already is not created again. Demo
content skips the moderation screening: it is visible whatever the
pre-moderation settings say.
"""

from __future__ import annotations

from accounts.models import User
from community.models import Space
from forum.actions.posts import reply
from forum.actions.threads import start_thread
from forum.models import Thread

# (space slug, kind, title, text, topic, author index, replies as (author, text))
THREADS = [
    (
        "mobilitaet",
        "seek",
        "Wir suchen ein Konzept für Bürgerbusse im ländlichen Raum",
        "Unsere Gemeinde möchte einen **Bürgerbus** mit Ehrenamtlichen aufbauen. "
        "Wer hat Erfahrungen mit Versicherung, Fahrplan und Fahrerinnen?",
        "mobility",
        1,
        [],
    ),
    (
        "mobilitaet",
        "offer",
        "Wir bieten: Bürgerbus-Konzept mit ehrenamtlichen Fahrern",
        "Unser Bürgerbus fährt seit 2019. Wir teilen Satzung, Fahrplan und "
        "Versicherungsvertrag und beraten gern am Telefon.",
        "mobility",
        0,
        [(1, "Das klingt genau nach dem, was wir suchen. Darf ich Sie anrufen?")],
    ),
    (
        "pflege-und-gesundheit",
        "discussion",
        "Gemeindeschwester: Wie finanzieren Sie die Stelle?",
        "Wir überlegen, eine Gemeindeschwester einzustellen. Welche Fördertöpfe "
        "nutzen Sie?",
        "",
        2,
        [(3, "Bei uns zahlt der Landkreis die Hälfte, den Rest die Gemeinden.")],
    ),
    (
        "mobilitaet",
        "knowledge",
        "Leitfaden: Bürgerbus gründen in fünf Schritten",
        "### 1. Bedarf klären\nBefragen Sie ältere Menschen und Pendler.\n\n"
        "### 2. Verein gründen\nEin Bürgerbusverein trägt den Betrieb.\n\n"
        "Dieser Artikel wird von allen Mitgliedern des Themenraums gepflegt.",
        "",
        0,
        [],
    ),
]


def seed_threads(members: list[User]) -> int:
    """Create the demo threads that are missing; returns how many were created."""
    spaces = Space.objects.in_bulk(field_name="slug")
    created = 0
    for slug, kind, title, text, topic, author, replies in THREADS:
        space = spaces.get(slug)
        if space is None or Thread.objects.filter(title=title).exists():
            continue
        thread = start_thread(
            members[author % len(members)],
            space,
            kind=kind,
            title=title,
            source=text,
            topic=topic,
            screened=False,
        )
        for replier, answer in replies:
            reply(
                members[replier % len(members)], thread, source=answer, screened=False
            )
        created += 1
    return created
