"""The demo members of `manage.py seed_demo`, signed in through the login form."""

from __future__ import annotations

from tests.browser.support import Server

MEMBER_PASSWORD = "zukunftsraum-mitglied"
KATRIN = "katrin.vogel@demo.zukunftsraum.example"
THOMAS = "thomas.berger@demo.zukunftsraum.example"
JENS = "jens.petersen@demo.zukunftsraum.example"
SABINE = "sabine.krause@demo.zukunftsraum.example"
# seed_demo makes its spaces directly, and a space has no chat
# room until the chat is first opened: open the rooms here.
ENSURE_SPACE_ROOMS = (
    "from chat.actions import ensure_space_room\n"
    "from community.models import Space\n"
    "for space in Space.objects.all():\n"
    "    ensure_space_room(space)\n"
)


def seed_demo(server: Server, *, with_chat_rooms: bool = False) -> None:
    """Demo spaces, members and threads (idempotent), optionally space rooms."""
    server.manage("seed_demo")
    if with_chat_rooms:
        server.manage("shell", "--no-imports", "-c", ENSURE_SPACE_ROOMS)


def log_in(page, email: str, password: str = MEMBER_PASSWORD) -> None:
    """Sign in through the login form; leaves the member on their overview."""
    page.goto("/konto/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/uebersicht/")
