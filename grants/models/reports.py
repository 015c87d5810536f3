"""The usage report (Verwendungsnachweis) of a grant.

Three parts: the narrative (Sachbericht), the financial statement that mirrors
the approved cost plan line by line (what was spent per line, and the actual
own funds and other public funding), and the receipts list (date, payee,
purpose, amount), which a programme may waive for a "simple" report. Staff
check it; the money not used comes back to the ledger.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.money import ZERO, money_field


def _user(**options) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", **options
    )


class UsageReport(models.Model):
    application = models.OneToOneField(
        "grants.Application", on_delete=models.PROTECT, related_name="report"
    )
    simple = models.BooleanField(_("simple report without receipts"), default=False)
    narrative = models.TextField(_("narrative report (Sachbericht)"), blank=True)
    own_funds = money_field(_("own funds spent"), default=ZERO)
    other_funding = money_field(_("other public funding received"), default=ZERO)
    updated_by = _user(null=True, verbose_name=_("last changed by"))
    updated_at = models.DateTimeField(_("last changed at"), default=timezone.now)
    submitted_by = _user(null=True, blank=True, verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The Geschäftsstelle's check.
    checked_by = _user(null=True, blank=True, verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_note = models.TextField(_("result of the check"), blank=True)
    # Fixed at acceptance: the grant used, the reservation given back and what
    # was paid out but not used (to be reclaimed).
    grant_used = money_field(_("grant used"), null=True, blank=True)
    released = money_field(_("reservation released"), null=True, blank=True)
    unused_paid = money_field(_("paid out but not used"), null=True, blank=True)

    class Meta:
        verbose_name = _("usage report")
        verbose_name_plural = _("usage reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(own_funds__gte=0) & Q(other_funding__gte=0),
                name="grants_report_funds_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}"

    @property
    def total_spent(self):
        return sum((line.spent for line in self.lines.all()), ZERO)

    @property
    def receipts_total(self):
        return sum((receipt.amount for receipt in self.receipts.all()), ZERO)


class ReportLine(models.Model):
    """What was spent on one line of the approved cost plan."""

    report = models.ForeignKey(
        UsageReport, on_delete=models.CASCADE, related_name="lines"
    )
    cost_line = models.ForeignKey(
        "grants.CostLine", on_delete=models.PROTECT, related_name="+"
    )
    spent = money_field(_("spent"), default=ZERO)

    class Meta:
        ordering = ["cost_line__position", "cost_line_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "cost_line"], name="grants_report_line_once"
            ),
            models.CheckConstraint(
                condition=Q(spent__gte=0), name="grants_report_line_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cost_line_id}: {self.spent}"


class Receipt(models.Model):
    """One entry of the receipts list."""

    report = models.ForeignKey(
        UsageReport, on_delete=models.CASCADE, related_name="receipts"
    )
    cost_line = models.ForeignKey(
        "grants.CostLine",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cost line"),
    )
    paid_on = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300)
    amount = money_field(_("amount"))

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="grants_receipt_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.payee} {self.amount}"


class ReminderKind(models.TextChoices):
    MONTH_BEFORE = "month_before", _("one month before the due date")
    DUE = "due", _("on the due date")


class ReportReminder(models.Model):
    """A reminder sent, so that cron running twice (or after a missed day)
    reminds once."""

    application = models.ForeignKey(
        "grants.Application", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=15, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "due_on"], name="grants_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.due_on}"


class PracticeExample(models.Model):
    """A Praxisbeispiel: the narrative of an accepted usage report, published
    with the municipality's consent and tagged for finding it."""

    application = models.OneToOneField(
        "grants.Application", on_delete=models.CASCADE, related_name="practice_example"
    )
    title = models.CharField(_("title"), max_length=200)
    narrative = models.TextField(_("narrative report (Sachbericht)"))
    topic = models.CharField(_("topic"), max_length=30, blank=True)
    size_class = models.CharField(_("size class"), max_length=10, blank=True)
    land = models.ForeignKey(
        "accounts.State",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Land"),
    )
    region = models.CharField(_("region"), max_length=150, blank=True)
    municipality_name = models.CharField(_("municipality"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("practice example")
        verbose_name_plural = _("practice examples")

    def __str__(self) -> str:
        return self.title
