"""Template context: lets the base layout show the "Sandbox — not connected to StackOne" banner."""

from django.conf import settings


def sandbox_mode(request):
    return {"sandbox_mode": settings.SANDBOX_MODE}
