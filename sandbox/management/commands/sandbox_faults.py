"""manage.py sandbox_faults — show or change the sandbox's injected faults without code changes.

manage.py sandbox_faults                        # show the configuration
manage.py sandbox_faults --latency-ms 400 --rate-limit 600
manage.py sandbox_faults --fail-status 503 --fail-count 2 --fail-methods PATCH
manage.py sandbox_faults --reset                # everything off
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sandbox import faults

OPTIONS = [
    # (flag, fault field, type, help)
    ("--latency-ms", "latency_ms", int, "milliseconds added to every API request"),
    ("--rate-limit", "rate_limit_per_minute", int, "requests per minute before 429 (0 = unlimited)"),
    (
        "--retry-after",
        "retry_after_seconds",
        int,
        "Retry-After seconds sent with 429/408 (default: computed)",
    ),
    ("--fail-status", "fail_status", int, "HTTP status the next --fail-count requests answer with"),
    ("--fail-count", "fail_count", int, "how many requests fail with --fail-status"),
    (
        "--fail-methods",
        "fail_methods",
        str,
        "comma-separated methods the one-shot faults apply to (default all)",
    ),
    ("--timeout-count", "timeout_count", int, "how many requests sleep --timeout-seconds before answering"),
    ("--timeout-seconds", "timeout_seconds", float, "that sleep, in seconds"),
    ("--malformed-count", "malformed_count", int, "how many requests answer 200 with a non-JSON body"),
]


class Command(BaseCommand):
    help = "Show or change the sandbox fault injection (latency, rate limit, failures). Sandbox mode only."

    def add_arguments(self, parser):
        for flag, field, kind, text in OPTIONS:
            parser.add_argument(flag, dest=field, type=kind, default=None, help=text)
        parser.add_argument("--reset", action="store_true", help="switch every fault off (applied first)")

    def handle(self, *args, **options):
        if not settings.SANDBOX_MODE:
            self.stdout.write("STACKONE_API_KEY is set, so the sandbox is off: nothing changed.")
            return
        if options["reset"]:
            faults.reset_faults()
        values = {field: options[field] for _, field, _, _ in OPTIONS if options[field] is not None}
        if values:
            try:
                faults.set_faults(**values)
            except faults.FaultConfigError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(faults.get_faults(), indent=2))
