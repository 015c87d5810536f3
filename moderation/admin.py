from django.contrib import admin

from moderation.models import Decision, ReviewItem, Sanction, WordFilter


class ReadOnlyAdmin(admin.ModelAdmin):
    """Moderation records are written by the audited actions (the moderation
    pages), never edited here: the admin only looks them up."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    list_display = ["pk", "target_kind", "target_id", "source", "status", "opened_at"]
    list_filter = ["status", "source", "target_kind"]
    list_select_related = ["space"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "rule", "member", "moderator"]
    list_filter = ["action", "rule"]
    list_select_related = ["member", "moderator"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "kind", "member", "ends_at", "lifted_at"]
    list_filter = ["kind"]
    list_select_related = ["member"]


@admin.register(WordFilter)
class WordFilterAdmin(ReadOnlyAdmin):
    list_display = ["pattern", "action", "whole_word", "created_at"]
