"""Starting rates and rules (edited in the admin), and the finance approvers' group."""

import datetime
from decimal import Decimal

from django.db import migrations

NOT_NEEDING_RECEIPTS = {"mileage", "involvement_payment"}
CATEGORIES = ["mileage", "public_transport", "parking", "taxi", "childcare", "carer", "other"]


def create(apps, schema_editor):
    Rate = apps.get_model("expenses", "Rate")
    ExpenseRules = apps.get_model("expenses", "ExpenseRules")
    Group = apps.get_model("auth", "Group")
    start = datetime.date(2024, 4, 1)
    Rate.objects.get_or_create(
        kind="mileage", activity_kind="", unit="per_mile", valid_from=start, defaults={"amount": Decimal("0.45")}
    )
    for unit, amount in (("per_hour", "25.00"), ("half_day", "75.00"), ("full_day", "150.00")):
        Rate.objects.get_or_create(
            kind="involvement", activity_kind="", unit=unit, valid_from=start, defaults={"amount": Decimal(amount)}
        )
    ExpenseRules.objects.get_or_create(
        pk=1,
        defaults={
            "receipt_required_for": [c for c in CATEGORIES if c not in NOT_NEEDING_RECEIPTS],
            "claim_deadline_months": 3,
            "tax_and_benefits_text": (
                "Paying back what you spent (expenses) does not count as income.\n\n"
                "Involvement payments can count as income for tax and for some benefits. If you get benefits, "
                "you can choose expenses only, or no payments at all. It is your choice, and you can change it "
                "at any time. Independent advice is free."
            ),
            "benefits_advice_name": "Citizens Advice",
            "benefits_advice_url": "https://www.citizensadvice.org.uk/benefits/",
        },
    )
    Group.objects.get_or_create(name="Finance approvers")


class Migration(migrations.Migration):
    dependencies = [("expenses", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
