from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ValuationConfig(AppConfig):
    name = "socialledger.valuation"
    label = "valuation"

    def ready(self) -> None:
        from socialledger.valuation.actions import sync_after_migrate

        # Like the measure library, the shipped open value set is brought up to date after every
        # migrate, so every database (a test database too) has it. It needs the measures first,
        # which INSTALLED_APPS order guarantees.
        post_migrate.connect(sync_after_migrate, sender=self)
