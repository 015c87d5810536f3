"""Applications of a municipality, with their cost and financing plans.

An application belongs to the municipality (its AGS), not to the member who
started it: every verified member of the municipality sees and edits its drafts.
The workflow states and who moves an application between them are in
`grants.workflow`; the reasons of the assessment and of the decision are stored
here, on the application itself, so that the database can hold the four-eyes
rule (the person deciding is not the person who assessed).
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Topic
from grants.models.money import ZERO, money_field
from grants.models.programmes import Programme, Purpose
from grants.periods import add_months


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FORMAL_CHECK = "formal_check", _("Formal check")
    QUERY = "query", _("Query to the applicant")
    ASSESSMENT = "assessment", _("Assessment")
    ASSESSED = "assessed", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    PAID_OUT = "paid_out", _("Paid out")
    REPORT_SUBMITTED = "report_submitted", _("Usage report submitted")
    REPORT_QUERY = "report_query", _("Query on the usage report")
    REPAYMENT_DUE = "repayment_due", _("Report accepted, repayment due")
    RECLAIM = "reclaim", _("Revoked, repayment due")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Vote(models.TextChoices):
    """The assessor's written recommendation."""

    APPROVE = "approve", _("approve the requested amount")
    PARTIAL = "partial", _("approve a partial amount")
    REJECT = "reject", _("reject")


class DeMinimis(models.TextChoices):
    NON_ECONOMIC = (
        "non_economic",
        _("Not applicable: non-economic activity of the municipality"),
    )
    DECLARED = (
        "declared",
        _("De-minimis aid received in this and the two previous years"),
    )


def _user(related_name: str = "+", **options) -> models.ForeignKey:
    # Members are anonymised, never deleted (accounts.actions.delete_account):
    # who did what in a grant procedure stays on record.
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name=related_name,
        **options,
    )


class Application(models.Model):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("programme"),
    )
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("applicant municipality"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    # Raised by every saved change of a draft: a form saved on top of a newer
    # version is refused, and the signatory confirms the version they read.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Idempotency keys: a double click or a retried request creates one draft
    # and submits once.
    creation_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_by = _user(null=True, verbose_name=_("started by"))
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_by = _user(null=True, verbose_name=_("last changed by"))
    updated_at = models.DateTimeField(_("last changed at"), default=timezone.now)

    # --- The project -------------------------------------------------------------
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=3000, blank=True)
    demographic_change = models.TextField(
        _("how the project addresses demographic change"), max_length=3000, blank=True
    )
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, blank=True
    )
    topic = models.CharField(
        _("topic"), max_length=30, choices=Topic.choices, blank=True
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)

    # --- Financing plan ----------------------------------------------------------
    input_vat_deductible = models.BooleanField(
        _("entitled to deduct input VAT (all amounts net)"), default=False
    )
    own_funds = money_field(_("own funds"), default=ZERO)
    requested_amount = money_field(_("requested amount"), null=True, blank=True)

    # --- Declarations ------------------------------------------------------------
    declares_not_started = models.BooleanField(default=False)
    declares_no_double_funding = models.BooleanField(default=False)
    declares_procurement = models.BooleanField(default=False)
    consents_to_publication = models.BooleanField(default=False)
    de_minimis = models.CharField(
        _("de-minimis"), max_length=20, choices=DeMinimis.choices, blank=True
    )
    de_minimis_received = money_field(
        _("de-minimis aid received"), null=True, blank=True
    )
    early_start_requested = models.BooleanField(
        _("early start requested"), default=False
    )
    early_start_reason = models.TextField(
        _("reason for an early start"), max_length=2000, blank=True
    )
    # A separate, logged decision of the Geschäftsstelle (vorzeitiger
    # Maßnahmebeginn): only then may the project start before the approval.
    early_start_granted_at = models.DateTimeField(null=True, blank=True)
    early_start_granted_by = _user(null=True, blank=True)

    # --- Written form: the municipality's authorised signatory ---------------------
    signatory = _user(null=True, blank=True, verbose_name=_("authorised signatory"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = _user(null=True, blank=True, verbose_name=_("submitted by"))

    # --- Priority, as it stood at submission --------------------------------------
    priority_score = models.SmallIntegerField(_("priority"), default=0)
    # [{"code": ..., "points": ..., "detail": ...}], labelled by
    # grants.priority.line_label in the reader's language.
    priority_lines = models.JSONField(default=list, blank=True)

    # --- Assessment and decision (four eyes) ------------------------------------
    assessed_by = _user(null=True, blank=True, verbose_name=_("assessed by"))
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices, blank=True)
    recommended_amount = money_field(_("recommended amount"), null=True, blank=True)
    assessment_reasons = models.TextField(
        _("reasons of the assessment"), max_length=5000, blank=True
    )
    decided_by = _user(null=True, blank=True, verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approved_amount = money_field(_("approved amount"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), max_length=5000, blank=True)
    decision_reasons = models.TextField(
        _("statement of reasons"), max_length=5000, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(
                fields=["municipality", "state"], name="grants_app_muni_state"
            ),
            models.Index(fields=["state", "-priority_score"], name="grants_app_queue"),
        ]
        constraints = [
            # Four eyes by person, whatever roles either holds.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | (Q(assessed_by__isnull=False) & ~Q(decided_by=F("assessed_by"))),
                name="grants_application_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(own_funds__gte=0), name="grants_application_own_funds"
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gt=0),
                name="grants_application_requested_positive",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | (
                    Q(approved_amount__gt=0)
                    & Q(approved_amount__lte=F("requested_amount"))
                    & Q(decided_by__isnull=False)
                ),
                name="grants_application_approved_amount",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="grants_application_dates",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=False)
                | Q(state__in=[State.DRAFT, State.WITHDRAWN]),
                name="grants_application_submitted_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("grants:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """The file number shown on every page and letter: MF-2027-0042."""
        return f"MF-{self.programme.year}-{self.pk or 0:04d}"

    @property
    def report_due(self):
        """Six months after the project end, or after the end of the funding
        period if that comes first (BayVV Nr. 20 and its kin)."""
        ends = [d for d in (self.ends_on, self.programme.funding_period_ends_on) if d]
        return add_months(min(ends), 6) if ends else None

    @property
    def is_networking(self) -> bool:
        return self.purpose == Purpose.NETWORKING

    @property
    def is_draft(self) -> bool:
        return self.state == State.DRAFT

    @cached_property
    def total_costs(self):
        return sum((line.amount for line in self.cost_lines.all()), ZERO)

    @cached_property
    def other_funding(self):
        return sum((line.amount for line in self.funding_lines.all()), ZERO)

    @property
    def financing_total(self):
        return self.own_funds + self.other_funding + (self.requested_amount or ZERO)

    @property
    def financing_gap(self):
        """Costs minus financing: zero when the plan balances."""
        return self.total_costs - self.financing_total


class CostCategory(models.TextChoices):
    CONSULTANCY_FEES = "consultancy_fees", _("Consultancy fees")
    TRAVEL = "travel", _("Travel")
    EVENTS = "events", _("Events")
    MATERIALS = "materials", _("Materials")
    PUBLICITY = "publicity", _("Publicity")
    OTHER = "other", _("Other (with reason)")


class CostLine(models.Model):
    """A line of the cost plan."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="cost_lines"
    )
    position = models.PositiveSmallIntegerField(default=0)
    category = models.CharField(
        _("category"), max_length=20, choices=CostCategory.choices
    )
    description = models.CharField(_("description"), max_length=200)
    amount = money_field(_("amount"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("cost line")
        verbose_name_plural = _("cost plan")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="grants_cost_line_positive"
            ),
            models.CheckConstraint(
                condition=~Q(category=CostCategory.OTHER) | ~Q(reason=""),
                name="grants_cost_line_other_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class FundingLine(models.Model):
    """Other public funding for the same project, by source (no double funding)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="funding_lines"
    )
    position = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(_("source"), max_length=200)
    amount = money_field(_("amount"))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("other public funding")
        verbose_name_plural = _("other public funding")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="grants_funding_line_positive"
            )
        ]

    def __str__(self) -> str:
        return self.source


class Partner(models.Model):
    """A partner municipality of a networking project.

    A verified member of the partner confirms its participation on the platform.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="partners"
    )
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="grant_partnerships",
        verbose_name=_("municipality"),
    )
    confirmed_by = _user(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["municipality_id"]
        verbose_name = _("partner municipality")
        verbose_name_plural = _("partner municipalities")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "municipality"],
                name="grants_partner_once_per_application",
            )
        ]

    def __str__(self) -> str:
        return str(self.municipality)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Query(models.Model):
    """A question of the Geschäftsstelle to the applicant, with a deadline."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="queries"
    )
    question = models.TextField(_("question"), max_length=5000)
    deadline = models.DateField(_("answer by"))
    asked_by = _user()
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    answered_by = _user(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("query")
        verbose_name_plural = _("queries")

    def __str__(self) -> str:
        return self.question[:80]


class AttachmentKind(models.TextChoices):
    QUOTE = "quote", pgettext_lazy("procurement", "Quote")
    INVOICE = "invoice", _("Invoice")
    RECEIPT = "receipt", _("Receipt copy")
    OTHER = "other", _("Other document")


class PrivateStorage(FileSystemStorage):
    """Files outside the media path: served only by a permission-checked view.

    The location is read from settings on every use, so tests (and operators)
    can move it with `GRANTS_FILES_ROOT`.
    """

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self):  # type: ignore[override]
        return settings.GRANTS_FILES_ROOT

    @property
    def location(self):  # type: ignore[override]
        return str(settings.GRANTS_FILES_ROOT)

    def url(self, name):
        raise ValueError("Grant attachments have no public URL.")

    def deconstruct(self):
        return ("grants.models.applications.PrivateStorage", (), {})


private_storage = PrivateStorage()


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: the original name is kept in the row, never in the path.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"applications/{secrets.token_hex(16)}{suffix}"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=AttachmentKind.choices, default="other"
    )
    # Invoices of a reimbursement call-off belong to that call-off.
    call_off = models.ForeignKey(
        "grants.CallOff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    file = models.FileField(storage=private_storage, upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = _user(null=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("grants:attachment", args=[self.pk, self.original_name])


class HistoryEntry(models.Model):
    """One step in an application's history, as the applicant sees it.

    The audit log holds the same decisions for staff (with the actor); this is
    the history shown on the application page.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="history"
    )
    name = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    actor = _user(null=True)
    note = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.application_id} {self.name}"
