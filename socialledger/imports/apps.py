from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "socialledger.imports"
    label = "imports"
