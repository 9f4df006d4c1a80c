from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reports and dashboards"

    def ready(self) -> None:
        from reporting.cache import connect_invalidation

        connect_invalidation()
