from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "neighbourly.accounts"
    label = "accounts"
