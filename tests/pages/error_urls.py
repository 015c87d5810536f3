"""The platform's URLs plus one view that fails, for the 500 page's test."""

from django.urls import path

from zukunftsraum.urls import urlpatterns as platform_urlpatterns


def broken(request):
    raise RuntimeError("a deliberate failure for the error page test")


urlpatterns = [path("kaputt/", broken), *platform_urlpatterns]
