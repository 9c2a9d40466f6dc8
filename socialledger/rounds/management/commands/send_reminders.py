"""socialledger send_reminders: e-mail suppliers whose returns are due or overdue.

Run it daily (cron or a systemd timer). It is safe to run as often as you like: each return gets
each kind of reminder once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from socialledger.rounds.actions import send_reminders


class Command(BaseCommand):
    help = "Send the reminders that are due for open and overdue return rounds (never twice)."

    def handle(self, *args, **options) -> None:
        sent = send_reminders()
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder e-mail(s)."))
