"""Background tasks (django-tasks; on Django 6 the import becomes `django.tasks`).

Run by `manage.py db_worker` (README, Deployment); tests run them in-process.
"""

from __future__ import annotations

from django_tasks import task


@task()
def export_render_task(render_pk: int) -> None:
    from reporting.exports import export_run

    export_run(render_pk=render_pk)
