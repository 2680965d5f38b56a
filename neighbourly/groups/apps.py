from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "neighbourly.groups"
    label = "groups"
    default_auto_field = "django.db.models.BigAutoField"
