import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from involvement.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Prints the current two-step code of the demo staff accounts (development settings only)."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_TOOLS_ENABLED", False):
            raise CommandError("demo_code only runs with the development settings.")
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
