"""Real-browser tests: the system Chromium, driven by Playwright, against Daphne.

- Playwright, the browser and the server live for this package only: the sync
  API runs an event loop in the main thread, which must be gone before the
  asyncio tests of other packages run.
- `server` starts a real Daphne process for these tests, on a free port, with
  its own SQLite file in a temporary VAR_DIR (a copy of the run's migrated
  database, `tests.services.migrated_database`) and e-mails written to files
  (`tests/browser/server_settings.py`). The tests
  share nothing with pytest-django's test database and create what they need
  through the browser, as members would; under `--postgres` the server still
  runs on its own SQLite file.
- `page` is a fresh browser context per test, `second_page` another one (for
  a second member). axe-core (vendored, see `vendor/README.md`) is injected
  into every document; `check_page()` runs it for the WCAG 2.1 A/AA rules and
  fails on any violation. Every request to another origin and every CSP
  violation fails the test as well.
- On failure a screenshot (and the page's HTML) lands in var/test-artifacts/.

Without Playwright or Chromium the tests skip with the reason; with
REQUIRE_SERVICES=1 (CI) they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

import pytest

from tests.browser.support import (
    AXE_SCRIPT,
    PageWatch,
    Server,
    artifact_path,
)
from tests.services import (
    copy_database,
    missing_service,
    start_daphne,
    stop_process,
)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PLAYWRIGHT_MISSING = (
    'Playwright for Python is not installed; run `.venv/bin/pip install -e ".[test]"`'
)
CHROMIUM_MISSING = (
    f"Chromium not found at {CHROMIUM}; install the Debian package chromium "
    "(or set CHROMIUM to its path)"
)
_reports = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    """Remember each phase's outcome, so that fixtures know a test failed."""
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="package")
def playwright_api():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service(PLAYWRIGHT_MISSING)
    if not os.access(CHROMIUM, os.X_OK):
        missing_service(CHROMIUM_MISSING)
    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="package")
def browser(playwright_api):
    # Playwright never downloads a browser here: it drives the system Chromium.
    browser = playwright_api.chromium.launch(executable_path=CHROMIUM)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def server(tmp_path_factory, playwright_api, migrated_database) -> Iterator[Server]:
    var = tmp_path_factory.mktemp("browser-var")
    env = {
        **os.environ,
        "DEBUG": "1",
        "VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "tests.browser.server_settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "EMAIL_HOST", "STAFF_EMAIL"):
        env.pop(name, None)
    copy_database(migrated_database, var)
    process, port = start_daphne(env, var / "daphne.log")
    url = f"http://127.0.0.1:{port}"
    try:
        yield Server(url=url, var=var, env=env)
    finally:
        stop_process(process)


@contextlib.contextmanager
def browser_page(browser, server: Server, request, name: str) -> Iterator:
    """A page in a browser context of its own, watched as `page` describes."""
    context = browser.new_context(
        base_url=server.url,
        locale="de-DE",
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
    )
    context.add_init_script(path=str(AXE_SCRIPT))
    context.set_default_timeout(10_000)
    watch = PageWatch(origin=server.url)
    context.on("request", watch.on_request)
    page = context.new_page()
    page.on("console", watch.on_console)
    page.watch = watch
    yield page
    reports = request.node.stash.get(_reports, {})
    if any(report.failed for report in reports.values()):
        try:
            page.screenshot(path=artifact_path(name, ".png"), full_page=True)
            artifact_path(name, ".html").write_text(page.content())
        except Exception as problem:
            sys.stderr.write(f"could not save the failure screenshot: {problem}\n")
    context.close()
    assert watch.foreign_requests == [], "requests to other origins"
    assert watch.csp_violations == [], "Content-Security-Policy violations"


@pytest.fixture
def page(browser, server, request):
    with browser_page(browser, server, request, request.node.name) as page:
        yield page


@pytest.fixture
def second_page(browser, server, request):
    """A second member's page, in a browser context of its own (see `page`)."""
    name = f"{request.node.name}-second"
    with browser_page(browser, server, request, name) as other:
        yield other
