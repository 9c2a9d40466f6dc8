from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the product: the shared cache's table, health answers, start-up checks, serve."""

    name = "socialledger.operations"
    label = "operations"

    def ready(self) -> None:
        from socialledger.operations import checks  # noqa: F401 - registers the start-up checks
