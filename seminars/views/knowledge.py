"""The Wissenssammlung: one library of what every app registered
(community.knowledge): Wissen articles, event materials, grant results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Topic
from community import knowledge
from seminars.forms import LibraryForm

ITEMS_PER_PAGE = 30


@login_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    query = data.get("q", "").strip()
    options = {"topic": data.get("topic", ""), "kind": data.get("kind", "")}
    if query:
        items = knowledge.search(request.user, query, limit=ITEMS_PER_PAGE, **options)
    else:
        items = knowledge.browse(request.user, limit=ITEMS_PER_PAGE, **options)
    return render(
        request,
        "seminars/knowledge_list.html",
        {
            "form": form,
            "items": items,
            "searched": bool(query),
            "topics": dict(Topic.choices),
        },
    )
