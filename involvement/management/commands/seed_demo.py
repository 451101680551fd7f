from django.core.management.base import BaseCommand

from involvement.demo import DEMO_TOTP_SECRET, require_demo_tools, seed_group


class Command(BaseCommand):
    help = "Creates (or tops up) the demo involvement group. Running it twice duplicates nothing."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port shown in the welcome line.")

    def handle(self, *args, port: int, **options):
        require_demo_tools("seed_demo")
        logins = seed_group()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Portal running at http://127.0.0.1:{port}/ — demo logins:"))
        for login in logins:
            line = f"  {login.role:<13} {login.email:<28} password: {login.password}"
            if login.needs_code:
                line += "  (two-step code: `make demo-code`)"
            self.stdout.write(line)
        self.stdout.write(
            f"  Staff two-step secret for an authenticator app: {DEMO_TOTP_SECRET}. "
            "Emails are printed in this terminal."
        )
        self.stdout.write("")
