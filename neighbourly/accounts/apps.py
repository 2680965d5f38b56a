from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "neighbourly.accounts"
    label = "accounts"

    def ready(self):
        from neighbourly.accounts import privacy_handlers
        from neighbourly.core import plugins

        plugins.privacy_handlers.register("accounts", privacy_handlers)
