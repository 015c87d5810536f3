"""Member pages: profiles, directory, own data, verification by staff."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import actions, limits, personal_data, queries
from accounts.forms import (
    ConfirmMunicipalityForm,
    DeleteAccountForm,
    DirectoryFilterForm,
    ProfileForm,
    RevokeVerificationForm,
    StaffDeleteAccountForm,
)
from accounts.models import User
from accounts.permissions import (
    access_member_profile,
    check_can_delete_account,
    check_can_delete_on_request,
    check_can_export_data,
    check_can_verify_members,
)

# Generous for a person typing (one request per pause), tight for a scraper.
MUNICIPALITY_SEARCH_PER_MINUTE = 60
# Every key typed after "@" asks once: generous for writing, not for scraping.
MEMBER_SEARCH_PER_MINUTE = 120
DIRECTORY_PAGE_SIZE = 25
VERIFICATION_PAGE_SIZE = 50
# Building an archive costs a query per part: enough for anyone, not for a loop.
EXPORTS_PER_HOUR = 10
# Password attempts on the deletion form, per member.
DELETE_ATTEMPTS_PER_HOUR = 10


@login_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    member = access_member_profile(request.user, pk)
    return render(request, "accounts/profile_detail.html", {"member": member})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    member = request.user
    initial = {
        "name": member.name,
        "job_title": member.job_title,
        "municipality": member.affiliation,
        "topics": list(member.topics.values_list("topic", flat=True)),
        "offers_text": member.offers_text,
        "seeks_text": member.seeks_text,
        "show_in_directory": member.show_in_directory,
    }
    submitted = request.POST if request.method == "POST" else None
    form = ProfileForm(submitted, initial=initial, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Staff had decided on the old affiliation; the new one waits for them.
        was_decided = (
            member.affiliation_verified_at or member.affiliation_rejected_at
        ) is not None
        changed = actions.update_profile(
            member,
            name=data["name"],
            job_title=data["job_title"],
            affiliation=data["municipality"],
            topics=data["topics"],
            offers_text=data["offers_text"],
            seeks_text=data["seeks_text"],
            show_in_directory=data["show_in_directory"],
        )
        messages.success(request, _("Your profile has been saved."))
        if changed and was_decided and member.affiliation is not None:
            messages.info(
                request,
                _(
                    "You changed your municipality, so the Geschäftsstelle will "
                    "verify your affiliation again."
                ),
            )
        return redirect("accounts:profile", pk=member.pk)
    return render(request, "accounts/profile_form.html", {"form": form})


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    members = queries.directory_members(**filters)
    page = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "accounts/directory.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_GET
def member_search(request: HttpRequest) -> JsonResponse:
    """Type-ahead over the directory: `[{id, name, detail, mention}, ...]`."""
    try:
        limits.take(
            "accounts.member_search",
            limits.member_key(request.user),
            f"{MEMBER_SEARCH_PER_MINUTE}/m",
        )
    except limits.RateLimited as limited:
        return limits.too_many_requests(JsonResponse([], safe=False), limited)
    query = request.GET.get("q", "")[:100]
    return JsonResponse(
        [
            {
                "id": match.id,
                "name": match.name,
                "detail": match.detail,
                "mention": match.mention,
            }
            for match in queries.suggest_members(query, viewer=request.user)
        ],
        safe=False,
    )


@require_GET
def municipality_search(request: HttpRequest) -> JsonResponse:
    """Suggestions for the municipality field: `[{key, label, kind}, ...]`.

    Open to visitors, since registration needs it; limited per address so the
    reference data cannot be scraped in bulk cheaply.
    """
    try:
        limits.take(
            "accounts.municipality_search",
            limits.ip_key(request),
            f"{MUNICIPALITY_SEARCH_PER_MINUTE}/m",
        )
    except limits.RateLimited as limited:
        return limits.too_many_requests(JsonResponse([], safe=False), limited)
    query = request.GET.get("q", "")[:100].strip()
    if len(query) < 2:
        return JsonResponse([], safe=False)
    results = [
        {"key": match.key, "label": match.label, "kind": match.kind}
        for match in queries.search_areas(query, limit=20)
    ]
    return JsonResponse(results, safe=False)


@login_required
@require_GET
def verification_queue(request: HttpRequest) -> HttpResponse:
    check_can_verify_members(request.user)
    page = Paginator(
        queries.members_awaiting_verification(), VERIFICATION_PAGE_SIZE
    ).get_page(request.GET.get("seite"))
    return render(
        request,
        "accounts/verification_queue.html",
        {"page": page, "revoke_form": RevokeVerificationForm()},
    )


@login_required
@require_POST
def confirm_municipality(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff create the Gemeinde a member named at sign-up and verify them."""
    check_can_verify_members(request.user)
    member = get_object_or_404(User, pk=pk)
    form = ConfirmMunicipalityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the municipality's name and AGS."))
        return redirect("accounts:verification_queue")
    try:
        municipality = actions.confirm_unlisted_municipality(
            request.user, member, **form.cleaned_data
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("accounts:verification_queue")
    messages.success(
        request,
        _("%(municipality)s (%(ags)s) was created; %(name)s is now verified.")
        % {
            "municipality": municipality.name,
            "ags": municipality.ags,
            "name": member.name,
        },
    )
    return redirect("accounts:verification_queue")


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    check_can_verify_members(request.user)
    member = get_object_or_404(User, pk=pk)
    if actions.verify_affiliation(request.user, member):
        messages.success(
            request, _("%(name)s is now verified.") % {"name": member.name}
        )
    else:
        messages.info(
            request,
            _("Nothing changed: %(name)s needs no verification.")
            % {"name": member.name},
        )
    return redirect("accounts:verification_queue")


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    check_can_verify_members(request.user)
    member = get_object_or_404(User, pk=pk)
    form = RevokeVerificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason; the member receives it."))
        return redirect("accounts:verification_queue")
    if actions.revoke_verification(
        request.user, member, reason=form.cleaned_data["reason"]
    ):
        messages.success(
            request,
            _("%(name)s has been informed that the affiliation is not verified.")
            % {"name": member.name},
        )
    else:
        messages.info(
            request,
            _("Nothing changed: %(name)s has already been informed.")
            % {"name": member.name},
        )
    return redirect("accounts:verification_queue")


# --- A member's own data (DSGVO) ------------------------------------------------


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """What the platform holds about the member: export and deletion."""
    return render(
        request,
        "accounts/my_data.html",
        {"chat_retention_days": settings.CHAT_RETENTION_DAYS},
    )


@never_cache
@login_required
@require_GET
def data_export(request: HttpRequest) -> HttpResponse:
    """The member's own data as a zip (data.json plus a CSV per kind).

    Built synchronously while the member waits; see `personal_data.build_archive`.
    """
    check_can_export_data(request.user)
    try:
        limits.take(
            "accounts.data_export",
            limits.member_key(request.user),
            f"{EXPORTS_PER_HOUR}/h",
        )
    except limits.RateLimited as limited:
        text = _(
            "You have downloaded your data often in the last hour. "
            "Please try again later."
        )
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        return limits.too_many_requests(response, limited)
    archive = personal_data.build_archive(
        personal_data.collect(request.user),
        personal_data.collect_files(request.user),
    )
    name = f"zukunftsraum-meine-daten-{timezone.localdate():%Y-%m-%d}.zip"
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    member = request.user
    check_can_delete_account(member, member)
    submitted = request.POST if request.method == "POST" else None
    form = DeleteAccountForm(submitted, member=member)
    if request.method == "POST":
        try:
            limits.take(
                "accounts.delete_account",
                limits.member_key(member),
                f"{DELETE_ATTEMPTS_PER_HOUR}/h",
            )
        except limits.RateLimited:
            messages.error(request, _("Too many attempts. Please try again later."))
            return redirect("accounts:my_data")
        if form.is_valid():
            try:
                actions.delete_account(member, member)
            except personal_data.ErasureRefused as refused:
                messages.error(request, str(refused))
                return redirect("accounts:my_data")
            logout(request)
            return redirect("accounts:account_deleted")
    return render(request, "accounts/account_delete.html", {"form": form})


@login_required
@require_POST
def log_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the member, this one too (a lost phone, a
    shared computer)."""
    actions.end_all_sessions(request.user)
    logout(request)
    messages.success(request, _("You have been logged out on all devices."))
    return redirect("account_login")


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account_deleted.html")


@login_required
@require_http_methods(["GET", "POST"])
def staff_delete_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff delete an account on the member's request (letter, e-mail, phone)."""
    check_can_verify_members(request.user)
    member = get_object_or_404(User, pk=pk, deleted_at__isnull=True)
    check_can_delete_on_request(request.user, member)
    form = StaffDeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.delete_account(
                request.user, member, reason=form.cleaned_data["reason"]
            )
        except personal_data.ErasureRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The account has been deleted."))
            return redirect("accounts:verification_queue")
    return render(
        request,
        "accounts/account_delete_staff.html",
        {"form": form, "member": member},
    )
