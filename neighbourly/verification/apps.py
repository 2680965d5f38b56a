from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "neighbourly.verification"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from neighbourly.core import plugins
        from neighbourly.verification import demo, privacy

        plugins.privacy_handlers.register("verification", privacy)
        plugins.demo_seeders.register("verification", demo.seed_demo)
        from neighbourly.accounts.signals import email_confirmed
        from neighbourly.verification.handlers import on_email_confirmed

        email_confirmed.connect(on_email_confirmed, dispatch_uid="verification.on_email_confirmed")
