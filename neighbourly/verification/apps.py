from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "neighbourly.verification"
    default_auto_field = "django.db.models.BigAutoField"
