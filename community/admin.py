from django.contrib import admin

from community.models import Space


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "position", "is_restricted"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    filter_horizontal = ["members", "moderators"]
