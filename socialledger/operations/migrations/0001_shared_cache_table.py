"""The database cache's table, made wherever `migrate` runs (the demo, restores, tests, servers),
so the shared cache works with nothing more to remember."""

from django.core.management import call_command
from django.db import migrations


def make_cache_table(apps, schema_editor) -> None:
    # Does nothing when the cache is Redis, or when the table is there already.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(make_cache_table, migrations.RunPython.noop)]
