"""The benchmark harness at tiny sizes, so it cannot rot (issue 7).

Runs `python -m bench ws faults --smoke` in a subprocess (the harness has its
own Django settings and database, out of pytest-django's way): real Daphne
processes on a real Redis and PostgreSQL, real WebSocket clients. No timing
is asserted; loss and duplicates are.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.services import (
    POSTGRES_MISSING,
    REDIS_MISSING,
    REDIS_SERVER,
    ROOT,
    find_pg_ctl,
    missing_service,
)

# Once per `make test`: in the --postgres pass, like the other server tests.
pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict]:
    if not os.access(REDIS_SERVER, os.X_OK) or not shutil.which(REDIS_SERVER):
        missing_service(REDIS_MISSING)
    if find_pg_ctl() is None:
        missing_service(POSTGRES_MISSING)
    out = tmp_path_factory.mktemp("bench")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    finished = subprocess.run(
        [sys.executable, "-m", "bench", "ws", "faults", "--smoke", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        # About 75 s here; three times that and more on a loaded machine.
        timeout=900,
    )
    assert finished.returncode == 0, finished.stdout[-4000:] + finished.stderr[-4000:]
    return {
        suite: json.loads((out / f"{suite}-smoke-latest.json").read_text())
        for suite in ("ws", "faults")
    }


def test_ws_smoke_delivers_every_message_once(results):
    ws = results["ws"]
    runs = [run for shape in ws["shapes"] for run in shape["runs"]]
    runs += ws["stored"]
    assert runs
    for run in runs:
        assert run["steps"]
        for step in run["steps"]:
            assert step["sent"] > 0, step
            assert step["lost"] == 0, step
            assert step["duplicates"] == 0, step
            assert step["refused"] == 0, step
            assert step["connect_failures"] == 0, step
    assert all(idle["connect_failures"] == 0 for idle in ws["idle"])


def test_ws_smoke_stores_the_sends_in_one_sql_statement_per_batch(results):
    """The fast path end to end: real Daphne on real PostgreSQL and Redis,
    every send of the stored-messages steps through chat.store's statement,
    batched (the histogram accounts for every send), nothing lost."""
    for run in results["ws"]["stored"]:
        for step in run["steps"]:
            batched = sum(int(size) * n for size, n in step["batch_sizes"].items())
            assert batched == step["sent"], step
            assert step["store"]["statement_sends"] == step["sent"], step
            assert step["store"].get("orm_path", 0) == 0, step
            assert step["store"]["statements"] == sum(step["batch_sizes"].values())


def test_faults_smoke_lose_and_duplicate_nothing(results):
    faults = results["faults"]["faults"]
    assert len(faults) == 6
    for fault in faults:
        assert fault["sent"] > 0, fault
        assert fault["lost"] == 0, fault
        assert fault["duplicates"] == 0, fault
        assert fault["stored"] == fault["sent"] == fault["acked"], fault
