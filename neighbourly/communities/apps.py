from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "neighbourly.communities"
    label = "communities"
