"""The usage report page of the municipality."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grants import forms as grant_forms
from grants import reports
from grants.actions import reports as report_actions
from grants.models import Application, UsageReport
from grants.permissions import GrantRefused, access_application, check_applicant
from grants.views import refusals_as_page
from grants.workflow import REPORT_OPEN


def _initial(report: UsageReport | None, lines) -> tuple[dict, list[dict]]:
    if report is None:
        return {}, [{}] * grant_forms.EXTRA_RECEIPTS
    spent = {line.cost_line_id: line.spent for line in report.lines.all()}
    initial = {
        "narrative": report.narrative,
        "own_funds": report.own_funds,
        "other_funding": report.other_funding,
        **{f"spent_{line.pk}": spent.get(line.pk) for line in lines},
    }
    receipts = [
        {
            "cost_line": r.cost_line_id,
            "paid_on": r.paid_on,
            "payee": r.payee,
            "purpose": r.purpose,
            "amount": r.amount,
        }
        for r in report.receipts.all()
    ]
    return initial, receipts + [{}] * grant_forms.EXTRA_RECEIPTS


def _content(form, receipts) -> report_actions.ReportContent:
    data = form.cleaned_data
    return report_actions.ReportContent(
        narrative=data["narrative"],
        own_funds=data["own_funds"],
        other_funding=data["other_funding"],
        spent=form.spent(),
        receipts=[
            report_actions.ReceiptData(
                cost_line_id=r["cost_line"],
                paid_on=r["paid_on"],
                payee=r["payee"],
                purpose=r["purpose"],
                amount=r["amount"],
            )
            for r in receipts.cleaned_data
            if r.get("amount") is not None
        ],
        receipt_copies=data["receipt_copies"],
    )


def _check_open(user, application: Application) -> None:
    check_applicant(user, application)
    if application.state not in REPORT_OPEN:
        raise GrantRefused(
            _(
                "The usage report cannot be changed while the application is "
                "“%(state)s”."
            )
            % {"state": application.get_state_display()}
        )


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_page
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    _check_open(request.user, application)
    lines = list(application.cost_lines.all())
    report = UsageReport.objects.filter(application=application).first()
    simple = report.simple if report else application.programme.allows_simple_report
    initial, receipt_initial = _initial(report, lines)
    data = request.POST if request.method == "POST" else None
    form = grant_forms.ReportForm(
        data, request.FILES or None, initial=initial, lines=lines
    )
    receipts = grant_forms.ReceiptFormSet(
        data,
        initial=None if data else receipt_initial,
        prefix="receipt",
        lines=lines,
    )
    status = 200
    if request.method == "POST":
        receipts_valid = simple or receipts.is_valid()
        if form.is_valid() and receipts_valid:
            try:
                report = report_actions.save_report(
                    request.user,
                    application,
                    content=_content(form, receipts if not simple else _Empty()),
                )
                if "submit" in request.POST:
                    report_actions.submit_report(
                        request.user, application, answer=request.POST.get("answer", "")
                    )
                    messages.success(request, _("The usage report has been submitted."))
                    return redirect("grants:detail", pk=application.pk)
            except GrantRefused as refused:
                form.add_error(None, refused.message)
                status = 400
            else:
                messages.success(request, _("The usage report has been saved."))
                return redirect("grants:report", pk=application.pk)
        else:
            status = 400
    figures = reports.figures_of(report) if report else []
    return render(
        request,
        "grants/report_form.html",
        {
            "application": application,
            "form": form,
            "receipts": receipts,
            "simple": simple,
            "figures": figures,
            "report": report,
            "open_query": application.queries.filter(answered_at__isnull=True).last(),
        },
        status=status,
    )


class _Empty:
    """The receipts of a simple report: none."""

    cleaned_data: list = []
