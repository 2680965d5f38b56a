from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "neighbourly.core"
    label = "core"
