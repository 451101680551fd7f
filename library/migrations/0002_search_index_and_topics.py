"""The GIN index behind full-text search (PostgreSQL only), and the topics a group starts with."""

from django.db import migrations

GIN_INDEX = "library_resourceversion_search_gin"

TOPICS = [
    ("Birth trauma", "birth-trauma", "birth_trauma"),
    ("Perinatal loss", "perinatal-loss", "perinatal_loss"),
    ("Postpartum psychosis", "postpartum-psychosis", "postpartum_psychosis"),
    ("Anxiety", "anxiety", "anxiety"),
    ("Depression", "depression", "postnatal_depression"),
    ("Partners and family", "partners-and-family", ""),
    ("Tokophobia (fear of childbirth)", "tokophobia", "tokophobia"),
    ("The service and how to get help", "the-service", ""),
]


class CreateIndexOnPostgres(migrations.operations.base.Operation):
    """Creates the GIN index on PostgreSQL; SQLite has no full-text vectors to index."""

    reduces_to_sql = True
    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON library_resourceversion USING GIN (search_vector)"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")

    def describe(self):
        return "GIN index on library_resourceversion.search_vector (PostgreSQL only)"


def create_topics(apps, schema_editor):
    Topic = apps.get_model("library", "Topic")
    for order, (name, slug, member_topic) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "member_topic": member_topic, "order": order})


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        CreateIndexOnPostgres(),
        migrations.RunPython(create_topics, migrations.RunPython.noop),
    ]
