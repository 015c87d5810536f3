from django.contrib import admin

from audit.models import AuditLogEntry


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by the decisions themselves."""

    list_display = ["created_at", "action", "actor", "target_repr", "reason"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr", "reason", "actor__name"]
    list_select_related = ["actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
