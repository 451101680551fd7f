"""A new portal starts with a group profile and the national urgent-help lines.

They are data, not template text: coordinators edit or add local crisis
numbers in the admin.
"""

from django.db import migrations

CRISIS_LINES = [
    {
        "name": "NHS 111",
        "description": "Call 111 and choose the mental health option, day or night.",
        "phone": "111",
        "url": "https://111.nhs.uk/",
        "order": 1,
    },
    {
        "name": "Samaritans",
        "description": "Talk to someone about anything, any time. Free to call.",
        "phone": "116 123",
        "url": "https://www.samaritans.org/",
        "order": 2,
    },
    {
        "name": "Shout",
        "description": "If you would rather text than talk. Free, 24 hours a day.",
        "text_message": "Text SHOUT to 85258",
        "url": "https://giveusashout.org/",
        "order": 3,
    },
    {
        "name": "In an emergency",
        "description": "If you or someone else is in immediate danger, call 999 or go to A&E.",
        "phone": "999",
        "order": 4,
    },
]


def create_defaults(apps, schema_editor):
    GroupProfile = apps.get_model("involvement", "GroupProfile")
    Signpost = apps.get_model("involvement", "Signpost")
    GroupProfile.objects.get_or_create(pk=1)
    for line in CRISIS_LINES:
        Signpost.objects.get_or_create(kind="crisis", name=line["name"], defaults=line)


class Migration(migrations.Migration):
    dependencies = [("involvement", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
