from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "neighbourly.notifications"
    label = "notifications"

    def ready(self):
        from neighbourly.core import plugins
        from neighbourly.notifications import privacy

        plugins.privacy_handlers.register("notifications", privacy)
