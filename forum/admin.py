from django.contrib import admin

from forum.models import Post, Thread


class PostInline(admin.TabularInline):
    model = Post
    fields = ["position", "author", "created_at", "edited_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """Staff look threads up here; moderation decisions go through the moderation
    tools (they write the audit log), so content is read-only here."""

    list_display = ["title", "space", "kind", "status", "author", "last_post_at"]
    list_filter = ["kind", "status", "space"]
    search_fields = ["title"]
    fields = [
        "space", "kind", "title", "author", "status", "solution", "last_position",
        "is_pinned", "is_locked", "expires_on",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [PostInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["thread", "position", "author", "created_at"]
    search_fields = ["thread__title"]
    readonly_fields = ["thread", "position", "author", "source", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
