from django.contrib import admin

from chat.models import Membership, Message, Room


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "last_read_seq", "muted_until"]
    readonly_fields = ["last_read_seq"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "is_invite_only", "last_seq", "last_message_at"]
    list_filter = ["kind", "is_invite_only"]
    search_fields = ["title"]
    readonly_fields = ["last_seq", "last_message_at", "direct_key", "created_at"]
    raw_id_fields = ["space", "created_by"]

    def get_inlines(self, request, obj):
        # Direct conversations are private: the admin shows who, never what.
        return [MembershipInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Messages of open rooms, for moderation; direct conversations stay out."""

    list_display = ["__str__", "author", "created_at", "edited_at", "deleted_at"]
    list_select_related = ["author"]
    raw_id_fields = ["room", "author", "reply_to"]
    readonly_fields = ["room", "seq", "client_id", "created_at"]
    search_fields = ["body"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(room__kind="direct")
