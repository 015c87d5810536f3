"""Security headers: a Permissions-Policy everywhere, and member pages (with the
audit-log export) kept out of every cache."""

from __future__ import annotations

import pytest
from django.urls import reverse


def test_every_page_switches_off_browser_features_it_does_not_use(client, db):
    policy = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert "fullscreen=(self)" in policy


def test_member_pages_carry_the_policy_too(member_client):
    assert "camera=()" in member_client.get("/uebersicht/")["Permissions-Policy"]


@pytest.mark.parametrize(
    "name",
    ["pages:home", "accounts:my_data", "accounts:profile_edit", "forum:spaces"],
)
def test_member_pages_are_not_stored_by_any_cache(member_client, name):
    response = member_client.get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_profile_is_not_stored_either(member_client, member):
    response = member_client.get(reverse("accounts:profile", args=[member.pk]))
    assert "no-store" in response["Cache-Control"]


def test_the_audit_log_export_is_not_stored(client, staff_member):
    client.force_login(staff_member)
    response = client.get(reverse("moderation:audit_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]


def test_public_pages_for_visitors_stay_cacheable(client, db):
    assert "no-store" not in client.get("/impressum/").get("Cache-Control", "")
