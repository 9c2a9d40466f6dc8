"""The tasks the worker runs (`socialledger worker`), through Django's task API (django-tasks,
the backport of Django 6.0's django.tasks, with its database backend)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    """A job a person started (an upload, a summary rebuild); the stage it ended in."""
    from socialledger.jobs.runner import carry_out

    return carry_out(job_id)


@task()
def send_due_reminders() -> int:
    """The rounds' reminders that are due (each sent once); how many were sent."""
    from socialledger.rounds.actions import send_reminders

    return send_reminders()
