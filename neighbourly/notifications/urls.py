from django.urls import path

from neighbourly.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/badge/", views.notification_badge, name="badge"),
    path("notifications/read/", views.notification_mark_read, name="mark_read"),
    path("notifications/preferences/", views.preferences_save, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
