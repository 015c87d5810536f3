"""Helpers of the browser tests: the server handle, axe-core, artefacts."""

from __future__ import annotations

import email
import email.policy
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = ROOT / "var" / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass
class Server:
    """A running Daphne process serving the platform."""

    url: str
    var: Path
    env: dict[str, str]

    def manage(self, *args: str) -> None:
        """Run a management command against the server's database."""
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            timeout=120,
            capture_output=True,
        )

    @property
    def mail_dir(self) -> Path:
        return self.var / "mail"

    def mails_to(self, address: str) -> list[email.message.EmailMessage]:
        """Every e-mail the server has sent to `address`, oldest first."""
        found = []
        if not self.mail_dir.exists():
            return found
        for path in sorted(
            self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime
        ):
            for raw in path.read_bytes().split(MAIL_SEPARATOR):
                if not raw.strip():
                    continue
                message = email.message_from_bytes(raw, policy=email.policy.default)
                if address in str(message["To"]):
                    found.append(message)
        return found

    def wait_for_link(self, address: str, pattern: str, *, timeout: float = 10) -> str:
        """The first link matching `pattern` in the newest mail to `address`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            mails = self.mails_to(address)
            if mails:
                body = mails[-1].get_body(preferencelist=("plain",)).get_content()
                match = re.search(pattern, body)
                if match:
                    return match.group(0)
            time.sleep(0.1)
        raise AssertionError(f"no mail to {address} with a link like {pattern}")


@dataclass
class PageWatch:
    """What a page did that it must not: requests elsewhere, CSP violations."""

    origin: str
    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def on_request(self, request) -> None:
        url = request.url
        if url.startswith((self.origin + "/", "data:", "blob:", "about:")):
            return
        self.foreign_requests.append(url)

    def on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)


def artifact_path(name: str, suffix: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:150]
    return ARTIFACTS / f"{safe}{suffix}"


AXE_RUN = """async (tags) => {
    const results = await axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
}"""
# WCAG 1.4.10 Reflow: content at 320 CSS px wide without scrolling sideways.
REFLOW_WIDTH = 320
SIDEWAYS_SCROLL = """() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth <= width) return null;
    // The outermost elements that reach past the right edge: the culprits.
    const wide = [...document.body.querySelectorAll("*")].filter((node) => {
        const box = node.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1;
    });
    const outermost = wide.filter((node) => !wide.includes(node.parentElement));
    const describe = (node) =>
        node.tagName.toLowerCase() +
        (node.id ? `#${node.id}` : "") +
        (node.className && typeof node.className === "string"
            ? `.${node.className.trim().split(/\\s+/).join(".")}` : "") +
        ` (${Math.round(node.getBoundingClientRect().right)} px)`;
    const culprits = outermost.slice(0, 5).map(describe);
    return {scrollWidth: root.scrollWidth, width, culprits};
}"""


def _fail_axe(page, name: str, scheme: str, violations: list[dict]) -> None:
    page.screenshot(path=artifact_path(f"axe-{name}-{scheme}", ".png"), full_page=True)
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}"
        for v in violations
    ]
    pytest.fail(
        f"axe-core found WCAG 2.1 A/AA violations on {name} ({page.url}) "
        f"in the {scheme} colour scheme:\n" + "\n".join(lines),
        pytrace=False,
    )


def check_reflow(page, name: str) -> None:
    """Fail if the page scrolls sideways at 320 CSS px (WCAG 1.4.10)."""
    size = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
    try:
        overflow = page.evaluate(SIDEWAYS_SCROLL)
        if overflow:
            page.screenshot(path=artifact_path(f"reflow-{name}", ".png"))
    finally:
        page.set_viewport_size(size)
    if overflow:
        pytest.fail(
            f"{name} ({page.url}) scrolls sideways at {REFLOW_WIDTH} px: "
            f"{overflow['scrollWidth']} px wide, because of "
            f"{', '.join(overflow['culprits'])}",
            pytrace=False,
        )


def check_page(page, name: str) -> None:
    """Fail on any axe-core violation of WCAG 2.1 A/AA on the current page, in
    the light and in the dark colour scheme, and on sideways scrolling at
    320 px (WCAG 1.4.10 Reflow).

    Saves a screenshot of the page under var/test-artifacts/ before failing.
    """
    page.wait_for_load_state("load")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        violations = page.evaluate(AXE_RUN, WCAG_TAGS)
        if violations:
            page.emulate_media(color_scheme="light")
            _fail_axe(page, name, scheme, violations)
    page.emulate_media(color_scheme="light")
    check_reflow(page, name)
    assert page.watch.csp_violations == [], page.watch.csp_violations


CONFIRMATION_LINK = r"http://127\.0\.0\.1:\d+/konto/confirm-email/\S+/"
PASSWORD = "Demografie-Wandel-2026"


def register(page, server: Server, email: str, *, name: str = "Maria Muster") -> None:
    """Register through the signup form and confirm the address from the e-mail.

    Leaves the new member signed in on their overview page. Pages on the way are
    checked with axe-core.
    """
    page.goto("/konto/signup/")
    check_page(page, "signup")
    page.locator("#id_name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_role").select_option("mayor")
    # A district key is enough: the Kreise ship with the migrations.
    page.locator("#id_municipality").fill("09187")
    page.locator("#id_accept_terms").check()
    page.locator("#id_accept_privacy").check()
    page.get_by_role("button", name="Registrieren").click()
    page.wait_for_url("**/konto/confirm-email/")
    check_page(page, "verification-sent")

    link = server.wait_for_link(email, CONFIRMATION_LINK)
    page.goto(link)
    check_page(page, "confirm-email")
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url("**/uebersicht/")


def follow_main_nav(page, name: str) -> None:
    """Open an entry of the main navigation as a member would: on the line,
    or under "Mehr" where it moved for want of room (static/js/site.js)."""
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        nav.get_by_role("button", name="Mehr").click()
    link.click()
