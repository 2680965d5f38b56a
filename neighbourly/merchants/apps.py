from django.apps import AppConfig


class MerchantsConfig(AppConfig):
    name = "neighbourly.merchants"
    label = "merchants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from neighbourly.core import plugins
        from neighbourly.feed.assembly import feed_sources_registry
        from neighbourly.merchants import demo, moderation, privacy
        from neighbourly.merchants.feed_source import OfferFeedSource

        plugins.privacy_handlers.register("merchants", privacy)
        plugins.demo_seeders.register("merchants", demo.seed_demo)
        plugins.moderation_targets.register("business", moderation.BUSINESS)
        plugins.moderation_targets.register("offer", moderation.OFFER)
        # Offers join the community feed through the feed's source interface (feed.assembly).
        feed_sources_registry.register("offer", OfferFeedSource())
