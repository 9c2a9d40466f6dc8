from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "socialledger.verification"
    label = "verification"
