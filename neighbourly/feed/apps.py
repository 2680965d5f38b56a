from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "neighbourly.feed"
    label = "feed"
    default_auto_field = "django.db.models.BigAutoField"
