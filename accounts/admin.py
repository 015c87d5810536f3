"""Staff tools in the admin: reference data, members, structural weakness."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.actions import bump_display_version
from accounts.models import (
    Consent,
    District,
    MemberTopic,
    Municipality,
    State,
    StructuralWeaknessRecord,
    User,
)
from audit.actions import log_action

# Fields shown with everything a member wrote (see User.display_version).
SHOWN_WITH_CONTENT = {"name", "municipality", "district", "is_active"}


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["key", "name"]
    search_fields = ["name", "key"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "kind", "state", "population", "data_date"]
    list_filter = ["state", "kind"]
    search_fields = ["name", "key"]
    list_select_related = ["state"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["ags", "name", "kind", "district", "population", "data_date"]
    list_filter = ["district__state"]
    search_fields = ["name", "ags"]
    autocomplete_fields = ["district"]
    list_select_related = ["district"]


@admin.register(StructuralWeaknessRecord)
class StructuralWeaknessRecordAdmin(admin.ModelAdmin):
    """Staff keep these dated records from official sources; each change is logged."""

    list_display = [
        "__str__",
        "is_structurally_weak",
        "programme",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["is_structurally_weak", "programme"]
    search_fields = ["district__name", "municipality__name", "programme", "status"]
    autocomplete_fields = ["district", "municipality"]
    readonly_fields = ["created_by", "created_at"]

    @transaction.atomic
    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        log_action(
            request.user,
            "accounts.structural_weakness.changed"
            if change
            else "accounts.structural_weakness.created",
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )

    @transaction.atomic
    def delete_model(self, request, obj) -> None:
        log_action(request.user, "accounts.structural_weakness.deleted", target=obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for record in queryset:
            log_action(
                request.user, "accounts.structural_weakness.deleted", target=record
            )
        super().delete_queryset(request, queryset)


class MemberTopicInline(admin.TabularInline):
    model = MemberTopic
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    readonly_fields = ["document", "version", "given_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class MemberCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = MemberCreationForm
    ordering = ["name"]
    list_display = ["name", "email", "role", "affiliation", "is_verified", "is_staff"]
    list_filter = [
        "role",
        "is_staff",
        "is_active",
        ("deleted_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "email", "job_title"]
    autocomplete_fields = ["municipality", "district"]
    readonly_fields = [
        "affiliation_verified_at",
        "affiliation_verified_by",
        "affiliation_rejected_at",
        "date_joined",
        "last_login",
        "deleted_at",
        "delete_on_request",
    ]
    inlines = [MemberTopicInline, ConsentInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["name", "role", "job_title"]}),
        (
            _("Affiliation"),
            {
                "fields": [
                    "municipality",
                    "district",
                    "affiliation_verified_at",
                    "affiliation_verified_by",
                    "affiliation_rejected_at",
                ]
            },
        ),
        (
            _("Profile"),
            {"fields": ["offers_text", "seeks_text", "show_in_directory"]},
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined", "deleted_at"]}),
        (_("Deletion (DSGVO Art. 17)"), {"fields": ["delete_on_request"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "name",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        )
    ]

    @admin.display(boolean=True, description=_("verified"))
    def is_verified(self, member: User) -> bool:
        return member.is_affiliation_verified

    @admin.display(description=_("delete on request"))
    def delete_on_request(self, member: User) -> str:
        if member.pk is None or member.is_deleted:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("accounts:staff_delete_account", args=[member.pk]),
            _("Delete this account on the member's request"),
        )

    @transaction.atomic
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and set(form.changed_data) & SHOWN_WITH_CONTENT:
            bump_display_version(obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Deleting the row would take the member's posts with it, and skip the
        # other apps' erasers and the audit log: accounts are deleted through
        # `accounts.actions.delete_account` (link on the change page).
        return False
