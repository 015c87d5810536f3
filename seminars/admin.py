"""Events are run from the event pages; the admin shows the records."""

from django.contrib import admin

from seminars.models import Event, Lesson, Material, Registration


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "status",
        "starts_at",
        "capacity",
        "confirmed_count",
    ]
    list_filter = ["kind", "status", "topic"]
    search_fields = ["title"]
    # Seats are counted by the registration actions under their locks.
    readonly_fields = ["confirmed_count", "sequence", "quota_released_at", "chat_room"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "participant", "area_name", "status", "queued_at"]
    list_filter = ["status"]
    # Changing a registration here would bypass the seat counters.
    readonly_fields = [f.name for f in Registration._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


admin.site.register(Material)
admin.site.register(Lesson)
