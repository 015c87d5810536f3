"""Letters as accessible PDF, read back; the URL fetcher refuses everything but
the platform's static files; the audit dossier holds the whole case."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from grants import documents
from grants.actions import payouts, reclaims
from grants.models import LegalBasis, RevocationScope


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() for page in reader.pages)


def test_the_decision_letter_names_the_amount_and_the_municipality(
    client, clerk, approved
):
    client.force_login(clerk)
    response = client.get(reverse("grants:decision_letter", args=[approved.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "Zuwendungsbescheid" in text
    assert "3.000,00 €" in text
    assert "Musterau" in text
    assert approved.reference in text
    assert "ANBest-Gk" in text


def test_the_letter_is_a_tagged_pdf_ua_document_in_german(approved):
    reader = PdfReader(io.BytesIO(documents.decision_letter(approved)))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert str(catalog["/Lang"]).startswith("de")
    metadata = catalog["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid" in metadata


def test_a_letter_for_another_municipality_is_refused(
    client, approved, make_verified, make_municipality
):
    client.force_login(make_verified(make_municipality("09187118", "Abach", 900)))
    response = client.get(reverse("grants:decision_letter", args=[approved.pk]))
    assert response.status_code == 403
    assert "anderen Kommune" in response.content.decode()


def test_no_letter_before_the_decision(client, clerk, submitted):
    client.force_login(clerk)
    response = client.get(reverse("grants:decision_letter", args=[submitted.pk]))
    assert response.status_code == 403
    assert "keinen Zuwendungsbescheid" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/static/css/grants-letter.css",
        "file:///etc/passwd",
        f"{documents.PLATFORM_ORIGIN}/media/secret.pdf",
        f"{documents.PLATFORM_ORIGIN}/static/../../etc/passwd",
        "data:text/plain,hello",
    ],
)
def test_the_fetcher_refuses_everything_but_the_platforms_static_files(url):
    with pytest.raises(documents.RefusedURL):
        documents.platform_fetcher_class()().fetch(url)


def test_the_fetcher_serves_the_letters_stylesheet():
    response = documents.platform_fetcher_class()().fetch(
        f"{documents.PLATFORM_ORIGIN}/static/css/grants-letter.css"
    )
    assert b"@page" in response.read()


def test_a_letter_linking_elsewhere_is_made_without_fetching_it(approved, monkeypatch):
    fetched = []
    original = documents.platform_file

    def spy(url):
        fetched.append(url)
        return original(url)

    monkeypatch.setattr(documents, "platform_file", spy)
    approved.decision_reasons = "Gut."
    pdf = documents.render_pdf(
        "grants/letters/decision.html",
        {
            "application": approved,
            "programme": approved.programme,
            "municipality": approved.municipality,
        },
    )
    assert pdf.startswith(b"%PDF")
    assert fetched == [f"{documents.PLATFORM_ORIGIN}/static/css/grants-letter.css"]


def test_payout_and_reclaim_notices_and_the_dossier(
    client, clerk, assessor, approver, approved
):
    made = payouts.request_call_off(
        clerk,
        approved,
        amount=Decimal("3000.00"),
        reason="Gesamtbetrag",
        needed_on=timezone.localdate(),
    )
    payouts.release_payout(assessor, made, paid_on=timezone.localdate())
    proposal = reclaims.propose_revocation(
        assessor,
        approved,
        scope=RevocationScope.PARTIAL,
        legal_basis=LegalBasis.NOT_USED,
        reasons="Werkstatt fiel aus.",
        due_on=timezone.localdate() + timedelta(days=30),
        amount=Decimal("500.00"),
    )
    reclaims.decide_revocation(approver, proposal)

    client.force_login(clerk)
    payout = client.get(reverse("grants:payout_notice", args=[approved.pk, made.pk]))
    assert "3.000,00 €" in text_of(payout.content)
    notice = client.get(
        reverse("grants:reclaim_notice", args=[approved.pk, proposal.pk])
    )
    text = text_of(notice.content)
    assert "500,00 €" in text
    assert "Werkstatt fiel aus." in text
    assert client.get(reverse("grants:dossier", args=[approved.pk])).status_code == 403

    client.force_login(assessor)
    response = client.get(reverse("grants:dossier", args=[approved.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "antrag.json" in names
    assert "entscheidungen.json" in names
    assert any(n.endswith("Zuwendungsbescheid.pdf") for n in names)
    assert any(n.startswith("bescheide/") and "Widerruf" in n for n in names)
    assert any(n.startswith("anlagen/") for n in names)
    decisions = archive.read("entscheidungen.json").decode()
    assert "grants.application.approved" in decisions
    assert "Die Fördervoraussetzungen sind erfüllt." in decisions


def test_making_letters_leaves_the_upload_image_check_strict():
    """Importing WeasyPrint switches on Pillow's process-wide acceptance of
    truncated images; the forum's and the chat's image check must not
    change with it once a process has made a letter."""
    from io import BytesIO

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from community.images import clean_image
    from grants import documents

    documents.weasyprint()
    photo = BytesIO()
    Image.effect_noise((60, 40), 80).save(photo, "PNG")
    cut = SimpleUploadedFile("bild.png", photo.getvalue()[:-40], "image/png")

    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="cannot be read as an image"),
    ):
        clean_image(cut)
