"""The platform's URLs plus the forum figures' reference pages and the chat's
counters (batch sizes, which way sends were stored), read by `bench ws` before
and after each step."""

from django.http import JsonResponse
from django.urls import path

from bench.references.page import reference_page, shell_page
from zukunftsraum.urls import urlpatterns as platform


def chat_counters(request):
    from chat import store
    from realtime.batch import batch_sizes

    return JsonResponse({"batches": batch_sizes(), "store": dict(store.counts)})


urlpatterns = [
    path("bench/reference/", reference_page),
    path("bench/shell/", shell_page),
    path("bench/chat-counters/", chat_counters),
    *platform,
]
