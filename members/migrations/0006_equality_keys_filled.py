"""Gives every member a random equality key and moves each set of answers onto it (step 2 of 3).

Answers already cut loose by erasure (no member) get a key of their own that nothing points at.
"""

import uuid

from django.db import migrations


def forwards(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    EqualityMonitoring = apps.get_model("members", "EqualityMonitoring")
    for member in Member.objects.filter(equality_key__isnull=True).only("pk").iterator():
        Member.objects.filter(pk=member.pk).update(equality_key=uuid.uuid4())
    for answers in EqualityMonitoring.objects.filter(key__isnull=True).only("pk", "member_id").iterator():
        key = None
        if answers.member_id is not None:
            key = Member.objects.filter(pk=answers.member_id).values_list("equality_key", flat=True).first()
        EqualityMonitoring.objects.filter(pk=answers.pk).update(key=key or uuid.uuid4())


def backwards(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    EqualityMonitoring = apps.get_model("members", "EqualityMonitoring")
    for answers in EqualityMonitoring.objects.exclude(key__isnull=True).only("pk", "key").iterator():
        member_id = Member.objects.filter(equality_key=answers.key).values_list("pk", flat=True).first()
        EqualityMonitoring.objects.filter(pk=answers.pk).update(member_id=member_id)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_equality_keys_added"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
