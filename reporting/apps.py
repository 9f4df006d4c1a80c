from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reports and dashboards"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from outcomes.models import ReportingPeriod

        # Publishing (and publishing again after an amendment) is an outcomes service, which
        # cannot know about reporting's stored exports: reporting listens instead.
        post_save.connect(
            _queue_exports_of_published_period, sender=ReportingPeriod, dispatch_uid="exports-on-publish"
        )


def _queue_exports_of_published_period(sender, instance, **_signal_arguments) -> None:
    from django.db import transaction

    from outcomes.models import PeriodState
    from reporting.exports import exports_request_all

    if instance.state == PeriodState.PUBLISHED:
        # After the commit: the worker must see the published rows, and a rolled-back publish queues nothing.
        transaction.on_commit(lambda: exports_request_all(period_pk=instance.pk))
