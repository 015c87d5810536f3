"""The municipality's pages: overview, drafts, submission, queries, withdrawal."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grants import forms as grant_forms
from grants import queries, rules
from grants.actions import drafts, workflow
from grants.models import Partner
from grants.permissions import (
    GrantRefused,
    access_application,
    can_work_on,
    check_can_edit,
    check_can_start_application,
    check_signatory,
    check_verified_member,
    is_staff,
    is_verified_member_of,
)
from grants.views import refusals_as_page
from grants.views.detail import render_detail


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """This year's budget of the member's municipality, the call, its applications."""
    member = request.user
    today = timezone.localdate()
    programme = queries.current_programme(today)
    verified = is_verified_member_of(member, member.municipality_id)
    context = {
        "programme": programme,
        "verified": verified,
        "is_staff": is_staff(member),
        "applications": [],
        "partner_requests": queries.partner_requests(member),
        "can_apply": False,
    }
    if verified:
        context["applications"] = queries.applications_of(member.municipality)
        if programme is not None:
            context["budget"] = queries.municipality_budget(
                programme, member.municipality
            )
            context["can_apply"] = today <= programme.closes_on
    if programme is not None and context["is_staff"]:
        context["pot"] = queries.programme_budget(programme)
    return render(request, "grants/application_list.html", context)


def _formsets(data, application=None):
    cost_initial, funding_initial = [], []
    if application is not None:
        cost_initial = [
            {
                "category": line.category,
                "description": line.description,
                "amount": line.amount,
                "reason": line.reason,
            }
            for line in application.cost_lines.all()
        ]
        funding_initial = [
            {"source": line.source, "amount": line.amount}
            for line in application.funding_lines.all()
        ]
    cost_initial += [{}] * grant_forms.EXTRA_COST_LINES
    funding_initial += [{}] * grant_forms.EXTRA_FUNDING_LINES
    cost = grant_forms.CostLineFormSet(
        data, initial=None if data else cost_initial, prefix="cost"
    )
    funding = grant_forms.FundingLineFormSet(
        data, initial=None if data else funding_initial, prefix="funding"
    )
    return cost, funding


def _all_valid(form, cost, funding) -> bool:
    """Validate all three (every error shows at once); the summary at the top
    names the plans when a line is wrong."""
    valid = [form.is_valid(), cost.is_valid(), funding.is_valid()]
    if not valid[1] or not valid[2]:
        form.add_error(
            None,
            _("Please check the marked lines of the cost plan or the financing plan."),
        )
    return all(valid)


def _render_form(request, context, *, status: int = 200) -> HttpResponse:
    return render(request, "grants/application_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_page
def application_new(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    programme = queries.current_programme(today)
    if programme is None:
        raise GrantRefused(_("There is no open call for micro-grants at the moment."))
    municipality = check_verified_member(request.user)
    check_can_start_application(request.user, programme, today)
    data = request.POST if request.method == "POST" else None
    form = grant_forms.ApplicationForm(
        data, request.FILES or None, programme=programme, municipality=municipality
    )
    cost, funding = _formsets(data)
    key = request.POST.get("key") or uuid.uuid4().hex
    if data is not None and _all_valid(form, cost, funding):
        try:
            application, created = drafts.create_draft(
                request.user,
                programme,
                key=key,
                content=form.content(cost, funding),
            )
        except GrantRefused as refused:
            form.add_error(None, refused.message)
        else:
            if created:
                messages.success(request, _("The draft has been saved."))
            return redirect("grants:edit", pk=application.pk)
    return _render_form(
        request,
        {
            "form": form,
            "cost_lines": cost,
            "funding_lines": funding,
            "programme": programme,
            "municipality": municipality,
            "key": key,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_page
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    check_can_edit(request.user, application)
    data = request.POST if request.method == "POST" else None
    version = application.version
    form = grant_forms.ApplicationForm(
        data,
        request.FILES or None,
        initial=grant_forms.initial_for(application),
        programme=application.programme,
        municipality=application.municipality,
        application=application,
    )
    cost, funding = _formsets(data, application)
    if data is not None:
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        if _all_valid(form, cost, funding):
            try:
                drafts.save_draft(
                    request.user,
                    application,
                    version=version,
                    content=form.content(cost, funding),
                )
            except drafts.DraftConflict as conflict:
                form.add_error(None, conflict.message)
                # Saving again knowingly replaces the newer version.
                application.refresh_from_db(fields=["version"])
                version = application.version
            except GrantRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The draft has been saved."))
                return redirect("grants:edit", pk=application.pk)
    problems = rules.submission_problems(application, today=timezone.localdate())
    return _render_form(
        request,
        {
            "form": form,
            "cost_lines": cost,
            "funding_lines": funding,
            "programme": application.programme,
            "municipality": application.municipality,
            "application": application,
            "version": version,
            "problems": problems,
        },
    )


@login_required
@refusals_as_page
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    return render_detail(request, application)


@login_required
@require_POST
@refusals_as_page
def request_signature(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    try:
        drafts.request_signature(request.user, application)
    except GrantRefused as refused:
        messages.error(request, refused.message)
    else:
        if application.signatory_id == request.user.pk:
            return redirect("grants:submit", pk=application.pk)
        messages.success(
            request,
            _("%(name)s has been asked to confirm and submit the application.")
            % {"name": application.signatory.display_name},
        )
    return redirect("grants:detail", pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_page
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The signatory reads the application and confirms it: the written form.

    The form carries an idempotency key: submitting twice with it (a double
    click, a retry) submits once and shows the same result.
    """
    application = access_application(request.user, pk)
    if request.method == "POST":
        form = grant_forms.SubmitForm(request.POST)
        if form.is_valid():
            try:
                application, _submitted = workflow.submit(
                    request.user,
                    application,
                    key=form.cleaned_data["key"],
                    version=form.cleaned_data["version"],
                )
            except GrantRefused as refused:
                messages.error(request, refused.message)
                return redirect("grants:detail", pk=application.pk)
            messages.success(
                request,
                _(
                    "The application has been submitted. The Geschäftsstelle will "
                    "check it; you will be notified of every step."
                ),
            )
            return redirect("grants:detail", pk=application.pk)
    else:
        if not application.is_draft:
            messages.info(request, _("This application has been submitted already."))
            return redirect("grants:detail", pk=application.pk)
        form = grant_forms.SubmitForm(
            initial={"key": uuid.uuid4().hex, "version": application.version}
        )
    check_signatory(request.user, application)
    return render_detail(
        request,
        application,
        template="grants/application_submit.html",
        submit_form=form,
    )


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_page
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    form = grant_forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.withdraw(
                request.user, application, reason=form.cleaned_data["reason"]
            )
        except GrantRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The application has been withdrawn."))
        return redirect("grants:detail", pk=application.pk)
    if not can_work_on(request.user, application):
        raise GrantRefused(
            _("Only verified members of %(municipality)s can withdraw the application.")
            % {"municipality": application.municipality}
        )
    return render(
        request,
        "grants/application_withdraw.html",
        {"application": application, "form": form},
    )


@login_required
@require_POST
@refusals_as_page
def answer_query(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    form = grant_forms.AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            workflow.answer_query(
                request.user,
                application,
                answer=form.cleaned_data["answer"],
                files=[("other", f) for f in form.cleaned_data["documents"]],
            )
        except GrantRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your answer has been sent."))
            return redirect("grants:detail", pk=application.pk)
    return render_detail(request, application, answer_form=form, status=400)


@login_required
@require_POST
@refusals_as_page
def confirm_partner(request: HttpRequest, pk: int) -> HttpResponse:
    application = access_application(request.user, pk)
    partner = get_object_or_404(
        Partner, application=application, municipality_id=request.user.municipality_id
    )
    try:
        changed = drafts.confirm_partner(request.user, application, partner)
    except GrantRefused as refused:
        messages.error(request, refused.message)
    else:
        if changed:
            messages.success(
                request,
                _("You confirmed the participation of %(municipality)s.")
                % {"municipality": partner.municipality},
            )
    return redirect("grants:detail", pk=application.pk)
