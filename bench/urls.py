"""The platform's URLs plus the forum figures' reference pages."""

from django.urls import path

from bench.references.page import reference_page, shell_page
from zukunftsraum.urls import urlpatterns as platform

urlpatterns = [
    path("bench/reference/", reference_page),
    path("bench/shell/", shell_page),
    *platform,
]
