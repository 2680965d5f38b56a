from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "neighbourly.notifications"
    label = "notifications"
