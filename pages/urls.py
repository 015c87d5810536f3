from django.urls import path

from pages import views

app_name = "pages"
urlpatterns = [
    path("", views.start, name="start"),
    path("uebersicht/", views.home, name="home"),
    path("impressum/", views.imprint, name="imprint"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path(
        "barrierefreiheit/rueckmeldung-gesendet/",
        views.feedback_sent,
        name="feedback_sent",
    ),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("nutzungsbedingungen/", views.terms, name="terms"),
    path("healthz", views.health, name="health"),
    path("suche/", views.search, name="search"),
    # Only plain HTTP gets here: WebSockets at /ws/ go to Channels (asgi.py).
    path("ws/", views.websocket_over_http, name="websocket_over_http"),
]
