"""The platform's URLs plus the forum figures' reference page."""

from django.urls import path

from bench.references.page import reference_page
from zukunftsraum.urls import urlpatterns as platform

urlpatterns = [path("bench/reference/", reference_page), *platform]
