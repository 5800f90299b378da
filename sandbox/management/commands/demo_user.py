"""manage.py demo_user — the demo / demo login for local development in sandbox mode (``make run``;
idempotent). Refused without ``DEBUG``: a sandbox trial on a server (``STACKONE_SANDBOX=true``)
gets real users (``createsuperuser``), never a password printed in the docs."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

USERNAME = "demo"
PASSWORD = "demo"  # sandbox mode only: the data behind it is the sandbox's, not a real ATS
ROLES = ("Recruiter", "Ops")  # view, edit, bulk updates and the audit log


class Command(BaseCommand):
    help = ("Create or update the user demo / demo in the Recruiter and Ops roles. "
            "Sandbox mode with DEBUG only.")

    def handle(self, *args, **options):
        if not settings.SANDBOX_MODE:
            self.stdout.write("STACKONE_API_KEY is set (not sandbox mode): no demo user created.")
            return
        if not settings.DEBUG:
            raise CommandError("DEBUG is off: the demo / demo login is for local development (make run) "
                               "only. Create a user with `manage.py createsuperuser` instead.")
        groups = list(Group.objects.filter(name__in=ROLES))
        if len(groups) != len(ROLES):
            raise CommandError("The roles (Recruiter, Ops) do not exist yet: run `manage.py migrate` first.")
        user, created = get_user_model().objects.get_or_create(username=USERNAME)
        user.set_password(PASSWORD)
        user.is_active = True
        user.save()
        user.groups.add(*groups)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} user '{USERNAME}' (password '{PASSWORD}') in the roles {', '.join(ROLES)}."))
