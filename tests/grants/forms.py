"""What the application form posts, field by field, as a browser sends it."""

from __future__ import annotations

from datetime import date, timedelta


def form_data(signatory=None, *, today: date, **overrides) -> dict:
    """A complete draft: costs 4.000,00 €, own funds 1.000,00 €, requested
    3.000,00 €, German number formats as members type them."""
    data = {
        "title": "Beratung zur Nachnutzung des Dorfgasthofs",
        "summary": "Ein externes Büro erarbeitet ein Nutzungskonzept.",
        "demographic_change": "Ein Treffpunkt für ältere Menschen bleibt im Ort.",
        "purpose": "consultancy",
        "topic": "local-services",
        "starts_on": (today + timedelta(days=30)).isoformat(),
        "ends_on": (today + timedelta(days=150)).isoformat(),
        "partners": "",
        "own_funds": "1.000,00",
        "requested_amount": "3.000,00",
        "declares_not_started": "on",
        "declares_no_double_funding": "on",
        "declares_procurement": "on",
        "consents_to_publication": "on",
        "early_start_reason": "",
        "signatory": str(signatory.pk) if signatory else "",
        "cost-TOTAL_FORMS": "3",
        "cost-INITIAL_FORMS": "0",
        "cost-0-category": "consultancy_fees",
        "cost-0-description": "Beratungsbüro, 8 Tage",
        "cost-0-amount": "3.500,00",
        "cost-0-reason": "",
        "cost-1-category": "events",
        "cost-1-description": "Bürgerwerkstatt",
        "cost-1-amount": "500",
        "cost-1-reason": "",
        "cost-2-category": "",
        "cost-2-description": "",
        "cost-2-amount": "",
        "cost-2-reason": "",
        "funding-TOTAL_FORMS": "2",
        "funding-INITIAL_FORMS": "0",
        "funding-0-source": "",
        "funding-0-amount": "",
        "funding-1-source": "",
        "funding-1-amount": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def step_data(name: str, **fields) -> dict:
    """The POST data of a review step's form, named as the page names it."""
    from grants.views.staff import STEPS

    prefix = STEPS[name][1]
    return {
        f"{prefix}-{key}" if prefix else key: value for key, value in fields.items()
    }
