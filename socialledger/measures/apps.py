from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MeasuresConfig(AppConfig):
    name = "socialledger.measures"
    label = "measures"

    def ready(self) -> None:
        from socialledger.measures.actions import sync_after_migrate

        # Like Django's own permissions, the shipped library is brought up to date after every
        # migrate, so a new database (including a test database) always has it.
        post_migrate.connect(sync_after_migrate, sender=self)
