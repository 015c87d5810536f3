"""Per-address limits count the address the platform can trust: the socket peer,
or what a configured reverse proxy reports, never what the client wrote into
X-Forwarded-For itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LOGIN = "/konto/login/"
RESET = "/konto/password/reset/"
SEARCH = "/kommunen/suche/"
LOCKED = "Zu viele gescheiterte Anmeldeversuche"
PROXY = "127.0.0.1"  # the test client's REMOTE_ADDR: nginx on the same machine
DEPLOY_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]


def failed_login(client, n: int, forwarded: str):
    # A new address each time: allauth's per-address (key) lock stays out of it.
    return client.post(
        LOGIN,
        {"login": f"niemand{n}@example.org", "password": "falsch-falsch-falsch"},
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_forged_addresses_do_not_escape_the_login_limit(
    client, member, password, behind_proxy
):
    # nginx appends the address it saw; whatever stands left of it is forged.
    for n in range(10):
        failed_login(client, n, f"198.51.100.{n}, 203.0.113.7")
    locked = failed_login(client, 99, "198.51.100.99, 203.0.113.7")
    assert LOCKED in locked.content.decode()
    # Another member behind the same proxy is not locked out with them.
    response = client.post(
        LOGIN,
        {"login": member.email, "password": password},
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    )
    assert response.status_code == 302


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, db):
    for n in range(10):
        failed_login(client, n, f"198.51.100.{n}")
    locked = failed_login(client, 99, "192.0.2.200")
    assert LOCKED in locked.content.decode()


def test_a_client_that_is_not_the_proxy_cannot_claim_another_address(
    client, db, behind_proxy
):
    for n in range(60):
        client.get(
            SEARCH,
            {"q": "Aibl"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    refused = client.get(
        SEARCH, {"q": "Aibl"}, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert refused.status_code == 429
    assert refused["Retry-After"]


def test_password_reset_requests_are_counted_per_real_address(client, db, behind_proxy):
    for n in range(20):
        response = client.post(
            RESET,
            {"email": f"unbekannt{n}@example.org"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7",
        )
        assert response.status_code == 302
    refused = client.post(
        RESET,
        {"email": "unbekannt99@example.org"},
        HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.7",
    )
    assert refused.status_code == 429
    other = client.post(
        RESET, {"email": "jemand@example.org"}, HTTP_X_FORWARDED_FOR="192.0.2.44"
    )
    assert other.status_code == 302


def test_ipv6_clients_are_counted_by_their_network(client, db, behind_proxy):
    for n in range(60):
        client.get(SEARCH, {"q": "Aibl"}, HTTP_X_FORWARDED_FOR=f"2001:db8:1:2::{n:x}")
    refused = client.get(SEARCH, {"q": "Aibl"}, HTTP_X_FORWARDED_FOR="2001:db8:1:2::ff")
    assert refused.status_code == 429
    elsewhere = client.get(SEARCH, {"q": "Aibl"}, HTTP_X_FORWARDED_FOR="2001:db8:9::1")
    assert elsewhere.status_code == 200


def test_the_deploy_guide_forwards_only_the_address_nginx_saw():
    guide = DEPLOY_GUIDE.read_text()
    forwarded = re.findall(r"proxy_set_header X-Forwarded-For (\S+);", guide)
    assert forwarded and set(forwarded) == {"$remote_addr"}
    # Daphne keeps the socket peer (nginx) as the client; the app decides.
    assert "--proxy-headers" not in guide.split("ExecStart=", 1)[1].split("\n\n")[0]
    assert re.search(r"^TRUSTED_PROXIES=127\.0\.0\.1,::1\b", guide, re.MULTILINE)
