from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Shared mechanisms"

    def ready(self) -> None:
        from core.generation import connect_invalidation

        connect_invalidation()
