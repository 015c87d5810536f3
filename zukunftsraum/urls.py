from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Zukunftsraum administration")
admin.site.site_title = "Zukunftsraum"

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("accounts.urls")),
    path("", include("community.urls")),
    path("", include("forum.urls")),
    path("chat/", include("chat.urls")),
    # /veranstaltungen/... and the Wissenssammlung under /wissen/.
    path("", include("seminars.urls")),
    path("foerderung/", include("grants.urls")),
    # /moderation/... and the audit log under /verwaltung/protokoll/.
    path("", include("moderation.urls")),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("verwaltung/admin/", admin.site.urls),
]
