"""Settings of every server process the benchmarks start: the production
settings (DEBUG off, PostgreSQL, Redis) with these changes, each said in
docs/benchmarks.md:

- the per-member send limit is raised, because the load generator's members
  send far more than a person can (the limit's Redis round trips still run);
- the reference pages of the forum figures are routed (bench/urls.py);
- static files are served without a collected manifest;
- the smoke run of the fault suite shortens the hub's repair round.
"""

import os

from zukunftsraum.settings import *  # noqa: F403
from zukunftsraum.settings import STORAGES

# The hub's repair round; the fault suite's smoke size shortens it.
REALTIME_REPAIR_INTERVAL = float(os.environ.get("REALTIME_REPAIR_INTERVAL", "10"))

CHAT_SEND_RATE = 10_000.0
CHAT_SEND_BURST = 10_000
ROOT_URLCONF = "bench.urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
