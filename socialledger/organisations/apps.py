from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "socialledger.organisations"
    label = "organisations"
