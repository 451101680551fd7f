"""The first published version of each consent text and of the respect agreement, and the
standard training courses. All are data: coordinators edit them and publish new versions
in the admin."""

from django.db import migrations
from django.utils import timezone

TEXTS = [
    {
        "purpose": "keep_details",
        "title": "Keeping my details",
        "summary": "We keep your name, contact details and the answers you give us so we can run the group with you.",
        "body": (
            "We keep what you tell us on a secure NHS system. Only the involvement coordinators can see it.\n\n"
            "We use it to invite you to things, arrange support you need, and pay expenses.\n\n"
            "You can see everything we hold, download it, or ask us to erase it at any time from your account."
        ),
    },
    {
        "purpose": "contact",
        "title": "Contacting me about the group",
        "summary": "We send you invitations, reminders and news, only in the ways you choose.",
        "body": (
            "We will contact you about meetings, surveys and ways to get involved, using only the ways you "
            "have chosen (for example email or text message), and no more often than you asked.\n\n"
            "Messages never mention mental health in the subject line.\n\n"
            "You can stop this at any time. It takes effect straight away."
        ),
    },
    {
        "purpose": "anonymised_words",
        "title": "Using my anonymised words in reports",
        "summary": "We may quote what you say, with nothing that could identify you, in reports about the service.",
        "body": (
            "Sometimes the words of people who use the service are the best way to explain what needs to change. "
            "If you agree, we may quote things you say or write in reports to the service and its commissioners.\n\n"
            "We remove your name and anything else that could identify you. You can change your mind at any time; "
            "we will not use your words in any report written after that."
        ),
    },
    {
        "purpose": "photos",
        "title": "Photos at events",
        "summary": "We may take photos at events that include you, and use them in the group's materials.",
        "body": (
            "If you agree, photos taken at group events may include you and be used in leaflets, reports and "
            "presentations about the group.\n\n"
            "We always ask again before using a photo where you can be clearly recognised. Babies and children "
            "are never photographed without the parent's agreement on the day."
        ),
    },
    {
        "purpose": "respect_agreement",
        "title": "Our respect agreement",
        "summary": "How we look after each other in meetings and between them. We wrote it together.",
        "body": (
            "We listen to each other and let each person finish.\n\n"
            "What is shared in the group stays in the group. We do not pass on anyone's story without asking.\n\n"
            "Everyone's experience is valid. We do not judge or compare.\n\n"
            "You only share what you want to share. You can step out at any time, no explanation needed.\n\n"
            "We talk about the service, not about individual members of staff by name.\n\n"
            "If something upsets you, tell the coordinator during or after the meeting. They will help."
        ),
    },
]

COURSES = [
    ("Induction", "An introduction to the group, how it works and how members are supported."),
    ("Sharing your story safely", "How to decide what to share, and how to look after yourself when you do."),
    ("Interview panel training", "How to take part in interviewing staff: questions, scoring and fairness."),
]


def create(apps, schema_editor):
    ConsentText = apps.get_model("members", "ConsentText")
    TrainingCourse = apps.get_model("members", "TrainingCourse")
    now = timezone.now()
    for text in TEXTS:
        ConsentText.objects.get_or_create(purpose=text["purpose"], version=1, defaults={**text, "published_at": now})
    for name, description in COURSES:
        TrainingCourse.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("members", "0003_member_records")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
