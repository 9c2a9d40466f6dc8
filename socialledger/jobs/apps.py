from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "socialledger.jobs"
    label = "jobs"
