"""The budget ledger: what is reserved, paid and released, per cap.

One row per (programme, municipality, calendar year) and one row for the
programme's pot (municipality empty). Each row carries its own `cap` (the
programme's cap per municipality, or its total budget), so that the database
itself can refuse a row that would exceed it:

    reserved + paid - released <= cap

- `reserved`: approved and not yet paid out. Approval adds; a payout
  (Mikroförderung II) moves it to `paid`; a withdrawal after approval cancels it.
- `paid`: paid out in total (Mikroförderung II).
- `released`: money that came back after a payout (unused funds returned,
  reclaims; Mikroförderung II). Never more than was paid.

Rows change only in `grants.actions.ledger`, under row locks taken in one fixed
order; each change is journalled as a `LedgerEntry`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.money import ZERO, money_field
from grants.models.programmes import Programme


class BudgetLedger(models.Model):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="ledger_rows",
        verbose_name=_("programme"),
    )
    # Empty for the programme's pot.
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("calendar year"))
    cap = money_field(_("cap"))
    reserved = money_field(_("reserved"), default=ZERO)
    paid = money_field(_("paid"), default=ZERO)
    released = money_field(_("released"), default=ZERO)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["programme", "municipality_id"]
        verbose_name = _("ledger row")
        verbose_name_plural = _("ledger")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality", "year"],
                condition=Q(municipality__isnull=False),
                name="grants_ledger_one_row_per_municipality_year",
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(municipality__isnull=True),
                name="grants_ledger_one_pot_per_programme",
            ),
            models.CheckConstraint(
                condition=Q(cap__gt=0), name="grants_ledger_cap_positive"
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(paid__gte=0) & Q(released__gte=0),
                name="grants_ledger_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(released__lte=F("paid")),
                name="grants_ledger_released_within_paid",
            ),
            # The invariant of the whole ledger, kept by the database as well.
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("reserved") + F("paid") - F("released"), F("cap")
                ),
                name="grants_ledger_within_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.municipality or _('programme pot')}"

    @property
    def committed(self):
        return self.reserved + self.paid - self.released

    @property
    def available(self):
        return self.cap - self.committed


class EntryKind(models.TextChoices):
    """A movement on a ledger row and what it does to the row's columns."""

    RESERVE = "reserve", _("reserved on approval")
    CANCEL = "cancel", _("reservation cancelled")
    PAY = "pay", _("paid out")
    RELEASE = "release", _("unused funds returned")
    RECLAIM = "reclaim", _("reclaimed")


class LedgerEntry(models.Model):
    """One movement on one ledger row, for one application. Never changed."""

    ledger = models.ForeignKey(
        BudgetLedger, on_delete=models.PROTECT, related_name="entries"
    )
    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    amount = money_field(_("amount"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="grants_ledger_entry_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.ledger})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Ledger entries are immutable.")
        super().save(*args, **kwargs)
