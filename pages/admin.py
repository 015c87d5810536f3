"""Staff work through accessibility feedback in the admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from pages.models import AccessibilityFeedback


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "short_message", "page_url", "email", "answered_at"]
    list_filter = [("answered_at", admin.EmptyFieldListFilter)]
    search_fields = ["message", "page_url", "name", "email"]
    readonly_fields = ["message", "page_url", "name", "email", "member", "created_at"]
    fields = [*readonly_fields, "answered_at", "staff_note"]
    date_hierarchy = "created_at"

    @admin.display(description=_("message"))
    def short_message(self, feedback: AccessibilityFeedback) -> str:
        return feedback.message[:80]

    def has_add_permission(self, request, obj=None) -> bool:
        return False
