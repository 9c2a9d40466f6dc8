from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "socialledger.rounds"
    label = "rounds"
    verbose_name = "Return rounds"
