"""The directory's pages: "Sync now" (Ops and superusers; refused for an account StackOne says is
inactive) and the status partial the accounts page and the list refresh while a sync runs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from candidates import services
from candidates.directory.queue import SyncAsked, directory_sync_request
from candidates.directory.status import directory_status
from candidates.roles import BULK_PERMISSION, permission_page, viewer_required

# Starting a sync spends the shared StackOne budget: Ops (who run bulk jobs) and superusers.
SYNC_PERMISSION = BULK_PERMISSION
sync_required = permission_page(SYNC_PERMISSION)


@require_POST
@sync_required
def directory_sync_now(request: HttpRequest, account_id: str) -> HttpResponse:
    full = request.POST.get("full") == "1"
    back = _back(request, request.POST.get("next", ""))
    # StackOne refuses an inactive account's requests (412): a sync would only fail.
    outcome = directory_sync_request(account_id=account_id, full=full, user=request.user,
                                     active=services.account_active(account_id=account_id))
    if outcome is SyncAsked.INACTIVE:
        messages.error(request, f"{account_id} is inactive in StackOne, so it cannot be synced: nothing was "
                                "queued. Its directory keeps its last copy until retention removes it.")
    elif outcome is SyncAsked.OFF:
        messages.warning(request,
                         "The candidate directory is off (CANDIDATE_DIRECTORY=off): nothing to sync.")
    elif outcome is SyncAsked.RUNNING:
        messages.info(request, f"A sync of {account_id} is already running.")
    else:
        messages.success(request, f"{'Full sync' if full else 'Sync'} of {account_id} queued.")
    return redirect(back) if back else redirect("candidates:accounts")  # to the page the button was on


@require_GET
@viewer_required
def directory_status_partial(request: HttpRequest, account_id: str) -> HttpResponse:
    return render(request, "candidates/directory/_status.html", {
        "directory_status": directory_status(account_id=account_id,
                                             active=services.account_active(account_id=account_id)),
        "directory_next": _back(request, request.GET.get("next", "")),
    })


def _back(request: HttpRequest, url: str) -> str:
    """Return ``url`` when it is a path on this site (else "")."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""
