from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "neighbourly.feed"
    label = "feed"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from neighbourly.core import plugins
        from neighbourly.feed import demo, moderation, privacy

        plugins.privacy_handlers.register("feed", privacy)
        plugins.demo_seeders.register("feed", demo.seed_demo)
        plugins.moderation_targets.register("post", moderation.POST)
        plugins.moderation_targets.register("comment", moderation.COMMENT)
