from django.urls import path

from grants.views import (
    dashboard,
    documents,
    files,
    member,
    payouts,
    reclaims,
    reports,
    staff,
)

app_name = "grants"
urlpatterns = [
    path("", member.overview, name="overview"),
    path("antraege/neu/", member.application_new, name="new"),
    path("antraege/<int:pk>/", member.application_detail, name="detail"),
    path("antraege/<int:pk>/bearbeiten/", member.application_edit, name="edit"),
    path(
        "antraege/<int:pk>/unterschrift/",
        member.request_signature,
        name="request_signature",
    ),
    path("antraege/<int:pk>/einreichen/", member.application_submit, name="submit"),
    path(
        "antraege/<int:pk>/zurueckziehen/",
        member.application_withdraw,
        name="withdraw",
    ),
    path("antraege/<int:pk>/rueckfrage/", member.answer_query, name="answer"),
    path(
        "antraege/<int:pk>/teilnahme/", member.confirm_partner, name="confirm_partner"
    ),
    path("antraege/<int:pk>/mittelabruf/", payouts.call_off, name="call_off"),
    path(
        "antraege/<int:pk>/mittelabruf/<int:call_off_pk>/auszahlen/",
        payouts.release,
        name="release_payout",
    ),
    path(
        "antraege/<int:pk>/mittelabruf/<int:call_off_pk>/ablehnen/",
        payouts.refuse,
        name="refuse_call_off",
    ),
    path("antraege/<int:pk>/verwendungsnachweis/", reports.report_edit, name="report"),
    path("antraege/<int:pk>/widerruf/", reclaims.propose, name="propose_revocation"),
    path(
        "antraege/<int:pk>/widerruf/<int:reclaim_pk>/entscheiden/",
        reclaims.decide,
        name="decide_revocation",
    ),
    path(
        "antraege/<int:pk>/widerruf/<int:reclaim_pk>/rueckzahlung/",
        reclaims.repaid,
        name="record_repayment",
    ),
    path(
        "antraege/<int:pk>/zuwendungsbescheid.pdf",
        documents.decision_letter,
        name="decision_letter",
    ),
    path(
        "antraege/<int:pk>/auszahlung/<int:call_off_pk>.pdf",
        documents.payout_notice,
        name="payout_notice",
    ),
    path(
        "antraege/<int:pk>/widerruf/<int:reclaim_pk>.pdf",
        documents.reclaim_notice,
        name="reclaim_notice",
    ),
    path("antraege/<int:pk>/pruefakte.zip", documents.dossier, name="dossier"),
    path("antraege/<int:pk>/schritt/<slug:name>/", staff.step, name="step"),
    path("anhaenge/<int:pk>/<str:name>", files.attachment_download, name="attachment"),
    path("verwaltung/", staff.queue, name="queue"),
    path("verwaltung/zahlen/", dashboard.dashboard, name="dashboard"),
    path("bewilligungen/", dashboard.approved_grants, name="approved_grants"),
    path("praxisbeispiele/", dashboard.practice_examples, name="practice_examples"),
]
