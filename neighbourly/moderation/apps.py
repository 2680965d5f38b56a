from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "neighbourly.moderation"
    label = "moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from neighbourly.core import plugins
        from neighbourly.moderation import demo, privacy

        plugins.privacy_handlers.register("moderation", privacy)
        plugins.demo_seeders.register("moderation", demo.seed_demo)
