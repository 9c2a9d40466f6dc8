from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "socialledger.returns"
    label = "returns"
