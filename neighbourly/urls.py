from django.contrib import admin
from django.urls import include, path

from neighbourly.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("neighbourly.accounts.urls")),
    path("", include("neighbourly.communities.urls")),
    path("", include("neighbourly.feed.urls")),
    path("", include("neighbourly.verification.urls")),
    path("", include("neighbourly.notifications.urls")),
    path("", include("neighbourly.realtime.urls")),
    path("", include("neighbourly.moderation.urls")),
    path("", include("neighbourly.groups.urls")),
    path("", include("neighbourly.merchants.urls")),
    path("", include("neighbourly.home_urls")),
]
