from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "neighbourly.communities"
    label = "communities"

    def ready(self):
        from neighbourly.communities import privacy
        from neighbourly.core import plugins

        plugins.privacy_handlers.register("communities", privacy)
