"""Moderation pages. Mounted at the root: /moderation/... and the audit log
under /verwaltung/protokoll/ (staff pages live under /verwaltung/)."""

from django.urls import path

from moderation.views import decisions, queue, reports, staff

app_name = "moderation"
urlpatterns = [
    path("moderation/", queue.queue, name="queue"),
    path(
        "moderation/melden/<str:kind>/<int:target_id>/",
        reports.report,
        name="report",
    ),
    path("moderation/meine-meldungen/", reports.my_reports, name="my_reports"),
    path("moderation/fall/<int:pk>/", queue.item_detail, name="item"),
    path(
        "moderation/entscheidung/<int:pk>/",
        decisions.decision_detail,
        name="decision",
    ),
    path("moderation/wortfilter/", staff.word_filter, name="word_filter"),
    path(
        "moderation/wortfilter/<int:pk>/loeschen/",
        staff.word_filter_delete,
        name="word_filter_delete",
    ),
    path("moderation/mitglied/<int:pk>/", staff.member_detail, name="member"),
    path(
        "moderation/sanktion/<int:pk>/aufheben/",
        staff.lift_sanction,
        name="lift_sanction",
    ),
    path("verwaltung/protokoll/", staff.audit_log, name="audit_log"),
    path("verwaltung/protokoll/export.csv", staff.audit_export, name="audit_export"),
]
