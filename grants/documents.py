"""Letters of a grant case as accessible PDF, and the audit dossier.

The letters (Zuwendungsbescheid, payout notice, revocation and reclaim notice)
are HTML templates rendered by WeasyPrint to tagged PDF/UA-1. They are made
from the decisions as stored, so the same decision always gives the same
letter. WeasyPrint fetches what a document links to through the fetcher of
`platform_fetcher_class`, which serves the platform's own static files and
refuses everything else (no network, no file:// paths, no data from elsewhere:
CVE-2025-68616 was an SSRF through the default fetcher).
"""

from __future__ import annotations

import functools
import io
import json
import mimetypes
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from audit.models import AuditLogEntry
from grants import queries, reports
from grants.models import Application, CallOff, CallOffStatus, Reclaim

# The letters' own origin: only URLs under it, below STATIC_URL, are fetched.
PLATFORM_ORIGIN = "https://platform.zukunftsraum.invalid"


class RefusedURL(ValueError):
    """A document linked to something that is not one of the platform's files."""


def platform_file(url: str) -> tuple[bytes, str]:
    """The content and type of one of the platform's static files, by its URL
    under `PLATFORM_ORIGIN`; anything else is refused."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin != PLATFORM_ORIGIN or not parts.path.startswith(settings.STATIC_URL):
        raise RefusedURL(f"Refused to fetch {url!r} for a grant letter.")
    relative = parts.path.removeprefix(settings.STATIC_URL)
    if ".." in Path(relative).parts:
        raise RefusedURL(f"Refused to fetch {url!r} for a grant letter.")
    found = finders.find(relative)
    if not found:
        raise RefusedURL(f"No static file {relative!r}.")
    content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
    return Path(found).read_bytes(), content_type


@functools.cache
def weasyprint():
    """WeasyPrint, imported on first use: importing it parses its stylesheets
    (slow, and logged), which only the processes that make letters should pay
    for. The import also switches on Pillow's process-wide
    LOAD_TRUNCATED_IMAGES, under which the check of every forum and chat image
    upload (community.images) would take truncated files: it is switched off
    again (the letters draw only the platform's own files)."""
    import weasyprint as library
    import weasyprint.urls  # the fetcher's base classes, as library.urls
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return library


@functools.cache
def platform_fetcher_class():
    """WeasyPrint's fetcher, serving `platform_file` and nothing else."""
    urls = weasyprint().urls

    class PlatformFetcher(urls.URLFetcher):
        def fetch(self, url, headers=None):
            body, content_type = platform_file(url)
            return urls.URLFetcherResponse(
                url, body=body, headers={"Content-Type": content_type}
            )

    return PlatformFetcher


def render_pdf(template: str, context: dict) -> bytes:
    """A letter in the platform's language, as tagged PDF/UA-1."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            template, {**context, "issued_on": timezone.localdate()}
        )
        document = weasyprint().HTML(
            string=html,
            base_url=PLATFORM_ORIGIN + "/",
            url_fetcher=platform_fetcher_class()(),
        )
        return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def _letter_context(application: Application) -> dict:
    application = queries.with_details(application)
    return {
        "application": application,
        "programme": application.programme,
        "municipality": application.municipality,
    }


def decision_letter(application: Application) -> bytes:
    """The Zuwendungsbescheid of an approved application."""
    return render_pdf(
        "grants/letters/decision.html",
        {**_letter_context(application), "payouts": queries.payouts_of(application)},
    )


def payout_notice(call_off: CallOff) -> bytes:
    return render_pdf(
        "grants/letters/payout.html",
        {**_letter_context(call_off.application), "call_off": call_off},
    )


def reclaim_notice(reclaim: Reclaim) -> bytes:
    return render_pdf(
        "grants/letters/reclaim.html",
        {**_letter_context(reclaim.application), "reclaim": reclaim},
    )


def letters(application: Application) -> list[tuple[str, bytes]]:
    """Every letter of the case, by file name."""
    found = []
    ref = application.reference
    if application.approved_amount is not None:
        found.append((f"{ref}-Zuwendungsbescheid.pdf", decision_letter(application)))
    for call_off in application.call_offs.filter(status=CallOffStatus.PAID):
        found.append((f"{ref}-Auszahlung-{call_off.pk}.pdf", payout_notice(call_off)))
    for reclaim in application.reclaims.exclude(decided_by__isnull=True):
        found.append((f"{ref}-Widerruf-{reclaim.pk}.pdf", reclaim_notice(reclaim)))
    return found


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


def dossier(application: Application) -> bytes:
    """The audit dossier of a case as ZIP: the application, every decision with
    its reasons (the audit rows), the history, the letters, the usage report
    and the files, for auditors."""
    application = queries.with_details(application)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("antrag.json", _json(_application_data(application)))
        decisions = AuditLogEntry.objects.filter(
            action__startswith="grants.",
            target_type=ContentType.objects.get_for_model(Application),
            target_id=str(application.pk),
        ).order_by("created_at", "pk")
        archive.writestr(
            "entscheidungen.json",
            _json(
                [
                    {
                        "time": entry.created_at.isoformat(),
                        "action": entry.action,
                        "actor": getattr(entry.actor, "display_name", None),
                        "reason": entry.reason,
                        "data": entry.data,
                    }
                    for entry in decisions.select_related("actor")
                ]
            ),
        )
        archive.writestr(
            "verlauf.json",
            _json(
                [
                    {
                        "time": event.created_at.isoformat(),
                        "step": event.name,
                        "from": event.from_state,
                        "to": event.to_state,
                        "note": event.note,
                    }
                    for event in application.history.all()
                ]
            ),
        )
        report = queries.report_of(application)
        if report is not None:
            archive.writestr("verwendungsnachweis.json", _json(_report_data(report)))
        for name, pdf in letters(application):
            archive.writestr(f"bescheide/{name}", pdf)
        for attachment in application.attachments.all():
            with attachment.file.open("rb") as handle:
                archive.writestr(
                    f"anlagen/{attachment.pk}-{attachment.original_name}", handle.read()
                )
    return buffer.getvalue()


def _application_data(application: Application) -> dict:
    return {
        "reference": application.reference,
        "title": application.title,
        "municipality": {
            "ags": application.municipality_id,
            "name": application.municipality.name,
        },
        "programme": application.programme.title,
        "state": application.state,
        "retained_until": queries.retained_until(application),
        "purpose": application.purpose,
        "summary": application.summary,
        "starts_on": application.starts_on,
        "ends_on": application.ends_on,
        "cost_plan": [
            {
                "category": line.category,
                "description": line.description,
                "amount": str(line.amount),
            }
            for line in application.cost_lines.all()
        ],
        "own_funds": str(application.own_funds),
        "other_funding": [
            {"source": line.source, "amount": str(line.amount)}
            for line in application.funding_lines.all()
        ],
        "requested_amount": str(application.requested_amount),
        "approved_amount": str(application.approved_amount),
        "assessment": {
            "vote": application.vote,
            "reasons": application.assessment_reasons,
        },
        "decision": {
            "reasons": application.decision_reasons,
            "conditions": application.conditions,
            "decided_at": application.decided_at,
        },
        "call_offs": [
            {
                "amount": str(c.amount),
                "reason": c.reason,
                "status": c.status,
                "paid_on": c.paid_on,
            }
            for c in application.call_offs.all()
        ],
        "reclaims": [
            {
                "amount": str(r.amount),
                "scope": r.scope,
                "legal_basis": r.legal_basis,
                "reasons": r.reasons,
                "status": r.status,
                "interest": str(r.interest),
            }
            for r in application.reclaims.all()
        ],
    }


def _report_data(report) -> dict:
    return {
        "narrative": report.narrative,
        "simple": report.simple,
        "own_funds": str(report.own_funds),
        "other_funding": str(report.other_funding),
        "lines": [
            {
                "line": f.cost_line.description,
                "planned": str(f.planned),
                "spent": str(f.spent),
                "flag": f.flag,
            }
            for f in reports.figures_of(report)
        ],
        "receipts": [
            {
                "date": r.paid_on,
                "payee": r.payee,
                "purpose": r.purpose,
                "amount": str(r.amount),
            }
            for r in report.receipts.all()
        ],
        "grant_used": str(report.grant_used),
        "unused_paid": str(report.unused_paid),
        "checked_at": report.checked_at,
    }
