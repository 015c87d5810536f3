"""A micro-grant programme: one per calendar year, kept by staff."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.money import money_field


class Purpose(models.TextChoices):
    CONSULTANCY = "consultancy", _("External consultancy")
    NETWORKING = "networking", _("Inter-municipal networking")


class PartnerSplit(models.TextChoices):
    """How an approved partner application counts against the yearly caps."""

    LEAD = "lead", _("against the lead municipality's cap only")
    SPLIT = (
        "split",
        _("split equally across the caps of all participating municipalities"),
    )


class PayoutMode(models.TextChoices):
    """How approved money reaches the municipality."""

    ADVANCE = "advance", _("advance by call-off (due within two months)")
    REIMBURSEMENT = "reimbursement", _("reimbursement against invoices")


class AnbestVariant(models.TextChoices):
    """The general ancillary provisions a decision letter follows.

    Grants to municipalities follow ANBest-Gk (federal) or a Land's ANBest-K/-G,
    never ANBest-P (VV-BHO § 44, Nr. 13).
    """

    GK = "ANBest-Gk", _("ANBest-Gk (federal grants to municipalities)")
    K = "ANBest-K", _("ANBest-K (a Land's grants to municipalities)")
    G = "ANBest-G", _("ANBest-G (a Land's grants to municipalities)")


class Programme(models.Model):
    """The call of one calendar year: budget, caps, window and priority weights."""

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("calendar year"),
        unique=True,
        validators=[MinValueValidator(2020), MaxValueValidator(2100)],
    )
    call_text = models.TextField(
        _("call"),
        max_length=5000,
        blank=True,
        help_text=_(
            "What the programme funds, shown to members above their applications."
        ),
    )
    budget = money_field(_("total budget"))
    cap_per_municipality = money_field(
        _("cap per municipality and calendar year"), default=Decimal("5000.00")
    )
    minimum_amount = money_field(_("minimum amount"), default=Decimal("500.00"))
    allows_consultancy = models.BooleanField(
        _("external consultancy allowed"), default=True
    )
    allows_networking = models.BooleanField(
        _("inter-municipal networking allowed"), default=True
    )
    opens_on = models.DateField(_("applications from"))
    closes_on = models.DateField(_("applications until"))
    # Priority weights: settings of the programme, never constants in code.
    weight_structurally_weak = models.PositiveSmallIntegerField(
        _("points for a structurally weak municipality"), default=30
    )
    weight_first_application = models.PositiveSmallIntegerField(
        _("points for a municipality's first application"), default=10
    )
    weight_small = models.PositiveSmallIntegerField(
        _("points for under 5,000 inhabitants"), default=5
    )
    weight_medium = models.PositiveSmallIntegerField(
        _("points for 5,000 to 20,000 inhabitants"), default=2
    )
    weight_weak_partner = models.PositiveSmallIntegerField(
        _("points per partner municipality from a structurally weak region"), default=5
    )
    partner_split = models.CharField(
        _("partner applications count"),
        max_length=10,
        choices=PartnerSplit.choices,
        default=PartnerSplit.LEAD,
    )
    anbest_variant = models.CharField(
        _("ancillary provisions (ANBest)"),
        max_length=12,
        choices=AnbestVariant.choices,
        default=AnbestVariant.GK,
    )
    payout_mode = models.CharField(
        _("payout mode"),
        max_length=15,
        choices=PayoutMode.choices,
        default=PayoutMode.ADVANCE,
    )
    allows_simple_report = models.BooleanField(
        _("simple usage report without receipts allowed"), default=False
    )
    funding_period_ends_on = models.DateField(
        _("end of the funding period"),
        null=True,
        blank=True,
        help_text=_(
            "Usage reports are due six months after the project end, at the "
            "latest six months after this date."
        ),
    )
    de_minimis = models.BooleanField(
        _("ask for a de-minimis declaration"),
        default=False,
        help_text=_(
            "Regulation (EU) 2023/2831: at most 300,000 EUR per undertaking "
            "in three years."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget__gt=0),
                name="grants_programme_budget_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(cap_per_municipality__gt=0)
                & models.Q(cap_per_municipality__lte=models.F("budget")),
                name="grants_programme_cap_within_budget",
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_amount__gt=0)
                & models.Q(minimum_amount__lte=models.F("cap_per_municipality")),
                name="grants_programme_minimum_within_cap",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="grants_programme_window",
            ),
            models.CheckConstraint(
                condition=models.Q(allows_consultancy=True)
                | models.Q(allows_networking=True),
                name="grants_programme_some_purpose",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def purposes(self) -> list[str]:
        allowed = []
        if self.allows_consultancy:
            allowed.append(Purpose.CONSULTANCY)
        if self.allows_networking:
            allowed.append(Purpose.NETWORKING)
        return allowed

    def is_open(self, on) -> bool:
        return self.opens_on <= on <= self.closes_on
