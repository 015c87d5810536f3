"""Praxisbeispiele (published narratives of accepted usage reports) as a
source of the Wissenssammlung (community.knowledge), beside the forum's Wissen
articles and the events' materials; registered from GrantsConfig.ready()."""

from __future__ import annotations

from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from community import textsearch
from community.knowledge import KnowledgeItem, register_source
from grants.models import PracticeExample

KEY = "practice"
LABEL = gettext_lazy("Practice example")


def _examples(viewer: User, topic: str) -> QuerySet[PracticeExample]:
    # Published with the municipality's consent, for signed-in members (as
    # the list at /foerderung/praxisbeispiele/).
    if not viewer.is_authenticated:
        return PracticeExample.objects.none()
    examples = PracticeExample.objects.select_related("land")
    return examples.filter(topic=topic) if topic else examples


def _item(example: PracticeExample) -> KnowledgeItem:
    return KnowledgeItem(
        title=example.title,
        kind=KEY,
        kind_label=str(LABEL),
        topic=example.topic,
        url=f"{reverse('grants:practice_examples')}#praxisbeispiel-{example.pk}",
        origin=_("Micro-grant · %(municipality)s, %(year)s")
        % {"municipality": example.municipality_name, "year": example.year},
        date=example.published_at,
        snippet=Truncator(example.narrative).chars(240),
    )


def browse_examples(viewer: User, *, topic: str, limit: int) -> list[KnowledgeItem]:
    return [_item(example) for example in _examples(viewer, topic)[:limit]]


def search_examples(
    viewer: User, query: str, *, topic: str, limit: int
) -> list[KnowledgeItem]:
    condition = textsearch.folded_condition(query)
    if condition is None:
        return []
    examples = (
        _examples(viewer, topic)
        .annotate(
            folded=textsearch.fold_expression(
                Concat(F("title"), Value(" "), F("narrative"), output_field=TextField())
            )
        )
        .filter(condition)
    )
    return [_item(example) for example in examples[:limit]]


def register() -> None:
    register_source(KEY, LABEL, search=search_examples, browse=browse_examples)
