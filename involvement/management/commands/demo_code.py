import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from involvement.demo import DEMO_TOTP_SECRET, require_demo_tools


class Command(BaseCommand):
    help = "Prints the current two-step code of the demo staff accounts (demo tools only: see DEMO_TOOLS_ENABLED)."

    def handle(self, *args, **options):
        require_demo_tools("demo_code")
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
