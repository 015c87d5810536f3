"""Settings for the server processes the end-to-end tests start: the platform's,
with the hub's repair round every second instead of every ten, process leases
of 3 seconds instead of 15, room for the tests' bursts of sends, and
production's password hashers at their lowest cost (tests/hashers.py)."""

from tests.hashers import cheap_hashers
from zukunftsraum.settings import *  # noqa: F403
from zukunftsraum.settings import CHANNEL_LAYERS, PASSWORD_HASHERS, REDIS_URL

REALTIME_REPAIR_INTERVAL = 1.0
# A killed process's sockets stop counting after this (production: 15 s).
REALTIME_PROCESS_LEASE = 3.0
CHAT_SEND_BURST = 100
PASSWORD_HASHERS = cheap_hashers(PASSWORD_HASHERS)

if REDIS_URL and isinstance(CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0], str):
    # redis-py 8 times blocking reads out after 5 s by default, as long as
    # channels-redis blocks in BZPOPMIN: every idle consumer would crash
    # (django/channels_redis#422). zukunftsraum/settings.py should say this.
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [
        {"address": REDIS_URL, "socket_timeout": 15}
    ]
