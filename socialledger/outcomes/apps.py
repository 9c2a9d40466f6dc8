from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "socialledger.outcomes"
    label = "outcomes"
    verbose_name = "Outcome models and crosswalks"
