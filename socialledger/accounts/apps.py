from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socialledger.accounts"
    label = "accounts"
