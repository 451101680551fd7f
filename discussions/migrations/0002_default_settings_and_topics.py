"""Starting settings for the feed: words that suggest someone may be at risk, and a few topics.

Coordinators change both in the admin; this only fills them in where nothing is set yet.
"""

from django.db import migrations

PHRASES = [
    "suicide",
    "suicidal",
    "kill myself",
    "killing myself",
    "end my life",
    "end it all",
    "want to die",
    "better off dead",
    "better off without me",
    "no reason to live",
    "self-harm",
    "self harm",
    "hurt myself",
    "hurting myself",
    "harm my baby",
    "hurt my baby",
    "overdose",
    "can't go on",
    "cannot go on",
]

TOPICS = [
    ("Meetings and events", "meetings-and-events"),
    ("Leaflets and resources", "leaflets-and-resources"),
    ("Services and care", "services-and-care"),
    ("Your stories", "your-stories"),
    ("News from the team", "news-from-the-team"),
]


def create(apps, schema_editor):
    DiscussionSettings = apps.get_model("discussions", "DiscussionSettings")
    Topic = apps.get_model("discussions", "Topic")
    settings, _ = DiscussionSettings.objects.get_or_create(pk=1)
    if not settings.safeguarding_phrases.strip():
        settings.safeguarding_phrases = "\n".join(PHRASES)
        settings.save()
    for order, (name, slug) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("discussions", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
