"""Staff keep the programmes in the admin; applications and the ledger are read
only here (they change through the workflow and its audit rows)."""

import copy

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from audit.actions import log_action
from grants.actions.programmes import limit_problems, save_programme
from grants.models import (
    Application,
    BaseRate,
    BudgetLedger,
    LedgerEntry,
    Programme,
)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            field.name
            for field in Programme._meta.get_fields()
            if field.concrete and not field.auto_created and field.editable
        ]

    def clean(self):
        data = super().clean()
        if not self.errors:
            # The instance takes the new values only after clean(): check a copy.
            candidate = copy.copy(self.instance)
            for name, value in data.items():
                setattr(candidate, name, value)
            for problem in limit_problems(candidate):
                self.add_error(None, problem)
        return data


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    form = ProgrammeForm
    list_display = [
        "title",
        "year",
        "budget",
        "cap_per_municipality",
        "opens_on",
        "closes_on",
    ]
    fieldsets = [
        (None, {"fields": ["title", "year", "call_text"]}),
        (
            _("Money"),
            {"fields": ["budget", "cap_per_municipality", "minimum_amount"]},
        ),
        (
            _("Call"),
            {
                "fields": [
                    "opens_on",
                    "closes_on",
                    "allows_consultancy",
                    "allows_networking",
                    "partner_split",
                    "anbest_variant",
                    "payout_mode",
                    "allows_simple_report",
                    "funding_period_ends_on",
                    "de_minimis",
                ]
            },
        ),
        (
            _("Priority weights"),
            {
                "fields": [
                    "weight_structurally_weak",
                    "weight_first_application",
                    "weight_small",
                    "weight_medium",
                    "weight_weak_partner",
                ]
            },
        ),
    ]

    def save_model(self, request: HttpRequest, obj, form, change) -> None:
        # The ledger rows follow the caps, under the ledger's locks; logged.
        save_programme(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "municipality",
        "state",
        "priority_score",
        "requested_amount",
        "approved_amount",
    ]
    list_filter = ["programme", "state"]
    search_fields = ["title", "municipality__name", "municipality__ags"]
    list_select_related = ["programme", "municipality"]


@admin.register(BudgetLedger)
class BudgetLedgerAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "year", "cap", "reserved", "paid", "released"]
    list_filter = ["programme"]
    list_select_related = ["programme", "municipality"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "amount", "ledger", "application", "actor"]
    list_filter = ["kind"]
    list_select_related = [
        "ledger__programme",
        "ledger__municipality",
        "application__programme",
        "actor",
    ]


@admin.register(BaseRate)
class BaseRateAdmin(admin.ModelAdmin):
    """The base rates (§ 247 BGB) the interest of reclaims is computed from.

    Changing a rate changes the interest of reclaims not yet repaid, so every
    change is logged."""

    list_display = ["valid_from", "rate"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        log_action(
            request.user,
            "grants.base_rate.saved",
            target=obj,
            data={"valid_from": obj.valid_from.isoformat(), "rate": str(obj.rate)},
        )
