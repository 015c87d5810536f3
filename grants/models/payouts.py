"""Call-offs (Mittelabrufe) of an approved grant and the payouts that answer them.

The municipality calls off money with a reason and the date it is needed
(ANBest-Gk 1.2: only what is due within two months), or, in a programme paying
by reimbursement, against the invoices it attaches. A member of the
Geschäftsstelle who did not approve the grant releases the payout and records
the payment date (separation of duties). The approver is copied onto the
call-off when it is made, so that the database itself can hold that rule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.money import money_field


class CallOffStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    PAID = "paid", _("paid out")
    REFUSED = "refused", _("refused")


def _user(**options) -> models.ForeignKey:
    # Members are anonymised, never deleted: who released money stays on record.
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", **options
    )


class CallOff(models.Model):
    application = models.ForeignKey(
        "grants.Application", on_delete=models.PROTECT, related_name="call_offs"
    )
    amount = money_field(_("amount"))
    reason = models.TextField(_("reason"), max_length=2000)
    needed_on = models.DateField(_("needed on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CallOffStatus.choices,
        default=CallOffStatus.REQUESTED,
    )
    requested_by = _user(null=True, verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # Who approved the grant, as it stood when the money was called off.
    approved_by = _user(verbose_name=_("approved by"))
    released_by = _user(null=True, blank=True, verbose_name=_("released by"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    paid_on = models.DateField(_("payment date"), null=True, blank=True)
    refused_by = _user(null=True, blank=True, verbose_name=_("refused by"))
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("call-off")
        verbose_name_plural = _("call-offs")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="grants_call_off_positive"
            ),
            # Separation of duties, by person: whoever approved does not pay out.
            models.CheckConstraint(
                condition=Q(released_by__isnull=True)
                | ~Q(released_by=F("approved_by")),
                name="grants_call_off_payer_not_approver",
            ),
            models.CheckConstraint(
                condition=~Q(status=CallOffStatus.PAID)
                | (
                    Q(released_by__isnull=False)
                    & Q(released_at__isnull=False)
                    & Q(paid_on__isnull=False)
                ),
                name="grants_call_off_paid_has_payer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.amount} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == CallOffStatus.REQUESTED
