"""manage.py sandbox_seed [--reset] — fill the sandbox with its deterministic demo data."""

from django.conf import settings
from django.core.management.base import BaseCommand

from sandbox.seed import seed_sandbox


class Command(BaseCommand):
    help = "Seed the StackOne sandbox (only when empty; --reset wipes and reseeds). Sandbox mode only."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="delete all sandbox data first, then seed")

    def handle(self, *args, reset=False, **options):
        if not settings.SANDBOX_MODE:
            self.stdout.write("STACKONE_API_KEY is set, so the sandbox is off: nothing seeded.")
            return
        result = seed_sandbox(reset=reset)
        summary = (
            f"{result['accounts']} linked accounts, {result['candidates']} candidates, "
            f"{result['custom_field_definitions']} custom field definitions"
        )
        if result["seeded"]:
            self.stdout.write(
                self.style.SUCCESS(f"Sandbox {'reset and ' if reset else ''}seeded: {summary}.")
            )
        else:
            self.stdout.write(f"Sandbox already has data ({summary}); left unchanged. Use --reset to reseed.")
