"""ASGI entry point: HTTP through Django, WebSockets at /ws/ through Channels."""

import gc
import os

# An ASGI process holds many long-lived objects (a consumer per open socket).
# With the default thresholds the collector's generational passes ran often
# enough to add 100-200 ms pauses to chat delivery at 1,000 sockets; with
# these, p99 at 900 deliveries/s fell from 189 ms to 88 ms (`python -m bench
# ws`). Cyclic garbage is still collected, only in larger steps. The full
# passes that remained (120-350 ms stalls at the same moment of every run)
# walked every object of Django and the apps as well: those are frozen once
# loaded (gc.freeze below), so a pass walks only what the sockets made.
gc.set_threshold(100_000, 100, 100)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zukunftsraum.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

# Django must be set up before anything imports models (the routing does).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from pages.middleware import RequestBodyLimit  # noqa: E402
from realtime.daphne_protocol import close_protocol_errors_with_a_code  # noqa: E402
from realtime.origins import SiteOriginValidator  # noqa: E402
from realtime.routing import RawSend, websocket_urlpatterns  # noqa: E402

close_protocol_errors_with_a_code()

application = ProtocolTypeRouter(
    {
        # Oversized bodies are refused by their Content-Length, before Django
        # reads (and spools) them.
        "http": RequestBodyLimit(django_asgi_app),
        # Only pages of the site's own origins (SITE_URL, CSRF_TRUSTED_ORIGINS)
        # may open a socket: scheme, host and port.
        "websocket": RawSend(
            SiteOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)

# Everything loaded so far lives as long as the process: no collector pass
# needs to walk it again.
gc.collect()
gc.freeze()
