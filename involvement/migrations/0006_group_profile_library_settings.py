import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("involvement", "0005_meeting_pattern_example_says_midday"),
    ]

    operations = [
        migrations.AddField(
            model_name="groupprofile",
            name="resource_review_months",
            field=models.PositiveSmallIntegerField(
                default=24,
                help_text="Publishing a resource sets its next review this far ahead (at most 3 years).",
                validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(36)],
                verbose_name="review library resources every this many months",
            ),
        ),
        migrations.AddField(
            model_name="groupprofile",
            name="reading_age_target",
            field=models.PositiveSmallIntegerField(
                default=9,
                help_text="Staff see a warning when a resource reads above this age. The NHS aims for 9.",
                validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(18)],
                verbose_name="reading age to aim for",
            ),
        ),
        migrations.AddField(
            model_name="groupprofile",
            name="easy_read_reading_age_target",
            field=models.PositiveSmallIntegerField(
                default=7,
                validators=[django.core.validators.MinValueValidator(5), django.core.validators.MaxValueValidator(18)],
                verbose_name="reading age to aim for in Easy Read",
            ),
        ),
    ]
