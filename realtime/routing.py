from django.urls import path

from realtime.consumers import MemberConsumer

websocket_urlpatterns = [path("ws/", MemberConsumer.as_asgi())]
