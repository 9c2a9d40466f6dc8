from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "socialledger.quality"
    label = "quality"
