from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "socialledger.kpis"
    label = "kpis"
    verbose_name = "Procurement Act KPIs"
