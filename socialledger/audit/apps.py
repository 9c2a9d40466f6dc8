from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "socialledger.audit"
    label = "audit"
    verbose_name = "Audit log"
