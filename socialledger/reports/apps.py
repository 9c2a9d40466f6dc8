from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "socialledger.reports"
    label = "reports"
