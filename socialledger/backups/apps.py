from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "socialledger.backups"
    label = "backups"
