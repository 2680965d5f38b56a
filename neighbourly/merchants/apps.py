from django.apps import AppConfig


class MerchantsConfig(AppConfig):
    name = "neighbourly.merchants"
    label = "merchants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Offers join the community feed through the feed's source interface (feed.assembly).
        from neighbourly.feed.assembly import feed_source_register
        from neighbourly.merchants.feed_source import OfferFeedSource

        feed_source_register(OfferFeedSource())
