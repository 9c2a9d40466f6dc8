from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [('audit', '0003_chain_existing_events')]

    operations = [
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(fields=('chain', 'sequence'), name='one_event_per_place_in_chain'),
        ),
    ]
