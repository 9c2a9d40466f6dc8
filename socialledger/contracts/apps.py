from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "socialledger.contracts"
    label = "contracts"
