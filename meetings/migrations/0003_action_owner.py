"""An action's owner becomes a member of staff, or nobody ("the group"), instead of typed text.

Typed owners were shown on public minutes, and some named members. Each typed owner that is
exactly one staff account's name or email address is linked to that account; every other one
(a member's name, a job title, anything unclear) becomes "the group", so no member's name is kept.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _folded(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def staff_owner_for(typed: str, staff: list[tuple[int, str, str]]) -> int | None:
    """The id of the one staff account (id, name, email) whose name or email is ``typed``, or None."""
    typed = _folded(typed)
    if not typed:
        return None
    matches = {pk for pk, name, email in staff if typed in {_folded(name), _folded(email)}}
    # Two staff with the same name: we cannot tell which, so it stays with the group.
    return matches.pop() if len(matches) == 1 else None


def link_typed_owners_to_staff(apps, schema_editor):
    Action = apps.get_model("meetings", "Action")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    staff = list(User.objects.filter(is_staff=True).values_list("pk", "name", "email"))
    for action in Action.objects.exclude(typed_owner="").only("pk", "typed_owner"):
        owner_id = staff_owner_for(action.typed_owner, staff)
        if owner_id is not None:
            Action.objects.filter(pk=action.pk).update(owner_id=owner_id)
    _check_foreign_keys_now(schema_editor)


def _check_foreign_keys_now(schema_editor):
    # PostgreSQL checks the new foreign key at commit; until then it refuses the ALTER TABLE
    # that drops the typed column ("pending trigger events"). Checking now clears the queue.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def type_linked_owners_back(apps, schema_editor):
    Action = apps.get_model("meetings", "Action")
    for action in Action.objects.select_related("owner"):
        typed = (action.owner.name or action.owner.email) if action.owner_id else "The group"
        Action.objects.filter(pk=action.pk).update(typed_owner=typed[:120])
    _check_foreign_keys_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_outbox_and_promotion_count"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="action", old_name="owner", new_name="typed_owner"),
        # A default, so that going back can add the typed column again to a table with rows.
        migrations.AlterField(
            model_name="action",
            name="typed_owner",
            field=models.CharField(blank=True, default="", max_length=120),
        ),
        migrations.AddField(
            model_name="action",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                help_text="A member of staff. Leave empty if the whole group owns it.",
                limit_choices_to={"is_staff": True},
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="who owns it",
            ),
        ),
        migrations.RunPython(link_typed_owners_to_staff, type_linked_owners_back),
        migrations.RemoveField(model_name="action", name="typed_owner"),
    ]
