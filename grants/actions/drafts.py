"""Drafts: started, saved and completed by the municipality's members.

A draft belongs to the municipality; any of its verified members saves it.
Two members saving the same draft do not overwrite each other unknowingly:
each save names the version it started from and is refused if that is stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Municipality, User
from audit.actions import log_action
from grants import rules
from grants.actions import notices
from grants.models import (
    ZERO,
    Application,
    Attachment,
    CostLine,
    FundingLine,
    HistoryEntry,
    Partner,
    Programme,
    State,
)
from grants.permissions import (
    GrantRefused,
    check_applicant,
    check_can_confirm_partner,
    check_can_edit,
    check_can_start_application,
    check_signatory_eligible,
)


@dataclass
class CostLineData:
    category: str
    description: str
    amount: Decimal
    reason: str = ""


@dataclass
class FundingLineData:
    source: str
    amount: Decimal


@dataclass
class DraftContent:
    """Everything the application form holds."""

    title: str
    summary: str = ""
    demographic_change: str = ""
    purpose: str = ""
    topic: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    input_vat_deductible: bool = False
    own_funds: Decimal = ZERO
    requested_amount: Decimal | None = None
    declares_not_started: bool = False
    declares_no_double_funding: bool = False
    declares_procurement: bool = False
    consents_to_publication: bool = False
    de_minimis: str = ""
    de_minimis_received: Decimal | None = None
    early_start_requested: bool = False
    early_start_reason: str = ""
    signatory: User | None = None
    cost_lines: list[CostLineData] = field(default_factory=list)
    funding_lines: list[FundingLineData] = field(default_factory=list)
    partners: list[Municipality] = field(default_factory=list)
    new_attachments: list[tuple[str, UploadedFile]] = field(default_factory=list)
    removed_attachments: list[int] = field(default_factory=list)

    SIMPLE_FIELDS = (
        "title",
        "summary",
        "demographic_change",
        "purpose",
        "topic",
        "starts_on",
        "ends_on",
        "input_vat_deductible",
        "own_funds",
        "requested_amount",
        "declares_not_started",
        "declares_no_double_funding",
        "declares_procurement",
        "consents_to_publication",
        "de_minimis",
        "de_minimis_received",
        "early_start_requested",
        "early_start_reason",
        "signatory",
    )


class DraftConflict(GrantRefused):
    """The draft changed since the form was opened."""


def _check_content(application: Application, content: DraftContent) -> None:
    """Refuse what no draft may hold (the forms say the same, field by field)."""
    if not content.title.strip():
        raise GrantRefused(_("Please enter a title."))
    amounts = [content.own_funds, content.requested_amount, content.de_minimis_received]
    amounts += [line.amount for line in content.funding_lines]
    for amount in amounts:
        problem = amount is not None and rules.amount_problem(amount, allow_zero=True)
        if problem:
            raise GrantRefused(problem)
    for amount in [content.requested_amount, *(c.amount for c in content.cost_lines)]:
        problem = amount is not None and rules.amount_problem(amount)
        if problem:
            raise GrantRefused(problem)
    if content.starts_on and content.ends_on and content.ends_on < content.starts_on:
        raise GrantRefused(_("The project cannot end before it starts."))
    if content.signatory is not None:
        check_signatory_eligible(content.signatory, application)
    if any(m.pk == application.municipality_id for m in content.partners):
        raise GrantRefused(_("The applicant municipality cannot be its own partner."))


def _write(actor: User, application: Application, content: DraftContent) -> set[str]:
    """Store the content; returns the AGS of partners added now."""
    for name in DraftContent.SIMPLE_FIELDS:
        setattr(application, name, getattr(content, name))
    application.title = content.title.strip()
    application.updated_by = actor
    application.updated_at = timezone.now()
    application.save()

    application.cost_lines.all().delete()
    CostLine.objects.bulk_create(
        CostLine(application=application, position=n, **vars(line))
        for n, line in enumerate(content.cost_lines)
    )
    application.funding_lines.all().delete()
    FundingLine.objects.bulk_create(
        FundingLine(application=application, position=n, **vars(line))
        for n, line in enumerate(content.funding_lines)
    )

    wanted = {m.pk for m in content.partners}
    existing = set(application.partners.values_list("municipality_id", flat=True))
    application.partners.exclude(municipality_id__in=wanted).delete()
    added = wanted - existing
    Partner.objects.bulk_create(
        Partner(application=application, municipality_id=ags) for ags in sorted(added)
    )

    removed = list(application.attachments.filter(pk__in=content.removed_attachments))
    for attachment in removed:
        attachment.delete()
        transaction.on_commit(lambda f=attachment.file: f.storage.delete(f.name))
    add_attachments(actor, application, content.new_attachments)
    return added


def add_attachments(
    actor: User, application: Application, files: list[tuple[str, UploadedFile]]
) -> list[Attachment]:
    """Store checked uploads (grants.forms checks type by content, and size)."""
    created = []
    for kind, upload in files:
        created.append(
            Attachment.objects.create(
                application=application,
                kind=kind,
                file=upload,
                original_name=upload.name[:200],
                content_type=upload.content_type or "application/octet-stream",
                size=upload.size,
                uploaded_by=actor,
            )
        )
    return created


@transaction.atomic
def create_draft(
    actor: User, programme: Programme, *, key: str, content: DraftContent
) -> tuple[Application, bool]:
    """Start a draft for the actor's municipality. Returns (draft, created).

    `key` comes with the form: the same key again (a double click, a retried
    request) returns the draft it created instead of a second one.
    """
    check_can_start_application(actor, programme, timezone.localdate())
    existing = Application.objects.filter(creation_key=key).first()
    if existing is not None:
        check_applicant(actor, existing)
        return existing, False
    application = Application(
        programme=programme,
        municipality=actor.municipality,
        creation_key=key,
        created_by=actor,
    )
    _check_content(application, content)
    try:
        with transaction.atomic():
            added = _write(actor, application, content)
    except IntegrityError:
        # The same key, committed by a concurrent request a moment ago.
        existing = Application.objects.filter(creation_key=key).first()
        if existing is None:
            raise
        return existing, False
    HistoryEntry.objects.create(
        application=application, name="created", to_state=State.DRAFT, actor=actor
    )
    if added:
        notices.ask_partners(actor, application, added)
    return application, True


@transaction.atomic
def save_draft(
    actor: User, application: Application, *, version: int, content: DraftContent
) -> Application:
    """Save a draft over the version the form was opened with."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    check_can_edit(actor, locked)
    if locked.version != version:
        raise DraftConflict(
            _(
                "%(name)s changed this draft at %(time)s, after you opened it. Your "
                "entries were not saved. Save again to replace that version with "
                "your entries, or reload the page to see it."
            )
            % {
                "name": locked.updated_by.display_name if locked.updated_by else "",
                "time": formats.date_format(
                    timezone.localtime(locked.updated_at), "DATETIME_FORMAT"
                ),
            }
        )
    _check_content(locked, content)
    locked.version += 1
    added = _write(actor, locked, content)
    if added:
        notices.ask_partners(actor, locked, added)
    return locked


@transaction.atomic
def request_signature(actor: User, application: Application) -> None:
    """Ask the named signatory to confirm: only a complete draft is put forward."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    check_can_edit(actor, locked)
    problems = rules.submission_problems(locked, today=timezone.localdate())
    if problems:
        raise GrantRefused(" ".join(problems))
    if locked.signatory_id == actor.pk:
        return
    HistoryEntry.objects.create(
        application=locked,
        name="signature_requested",
        from_state=locked.state,
        to_state=locked.state,
        actor=actor,
    )
    notices.ask_signatory(actor, locked)


@transaction.atomic
def confirm_partner(actor: User, application: Application, partner: Partner) -> bool:
    """A partner municipality's verified member confirms its participation.

    Returns whether anything changed (a second confirmation changes nothing).
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    partner = Partner.objects.select_related("municipality").get(
        pk=partner.pk, application=locked
    )
    check_can_confirm_partner(actor, partner)
    if locked.state != State.DRAFT:
        raise GrantRefused(
            _("The application has been submitted; participation is settled.")
        )
    if partner.is_confirmed:
        return False
    partner.confirmed_by = actor
    partner.confirmed_at = timezone.now()
    partner.save(update_fields=["confirmed_by", "confirmed_at"])
    HistoryEntry.objects.create(
        application=locked,
        name="partner_confirmed",
        from_state=locked.state,
        to_state=locked.state,
        actor=actor,
        note=str(partner.municipality),
    )
    log_action(
        actor,
        "grants.partner.confirmed",
        target=locked,
        data={"partner": partner.municipality_id},
    )
    notices.tell_applicant(
        actor,
        locked,
        lambda: (
            _("%(municipality)s confirmed its participation")
            % {"municipality": partner.municipality}
        ),
    )
    return True
