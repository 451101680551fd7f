"""Meeting messages live in the outbox now (copied by 0004): meetings' own record goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_messages_to_outbox"),
    ]

    operations = [
        migrations.DeleteModel(name="MessageDelivery"),
    ]
