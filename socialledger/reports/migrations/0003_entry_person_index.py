"""An index on entries by person, owned by the reports' read model.

Keeping summaries true needs, on each write, every entry of the people the write touched (to count
each person once). The index is the read model's, so it lives with the read model; it is partial
(entries with a person key only) and plain SQL that SQLite and PostgreSQL both understand. It
changes no model, so Django's model state is untouched.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_summary_tables"),
        ("returns", "0003_return_round_return_verified_totals_and_more"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX reports_entry_person ON returns_entry (person_key, financial_year) "
            "WHERE person_key <> ''",
            "DROP INDEX reports_entry_person",
        )
    ]
