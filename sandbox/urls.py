"""StackOne's paths under /sandbox/ (mounted by stackone_admin.urls only in sandbox mode)."""

from django.urls import path, re_path

from sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("accounts", views.accounts, name="accounts"),
    path("accounts/<str:account_id>", views.account_detail, name="account"),
    path("accounts/<str:account_id>/meta", views.account_meta, name="account_meta"),
    path("unified/ats/candidates", views.candidates, name="candidates"),
    # Any id, even empty or with a line break (which <path:…> does not match): Django decodes %2F
    # to "/" before routing, and provider ids may contain slashes. Unknown ids get StackOne's 404.
    re_path(r"^unified/ats/candidates/(?P<candidate_id>[\s\S]*)\Z", views.candidate, name="candidate"),
    path(
        "unified/ats/custom_field_definitions/candidates",
        views.custom_field_definitions,
        name="custom_field_definitions",
    ),
    path(
        "unified/ats/custom_field_definitions/candidates/<path:definition_id>",
        views.custom_field_definition,
        name="custom_field_definition",
    ),
    path("_control/faults", views.control_faults, name="control_faults"),
    path("_control/stats", views.control_stats, name="control_stats"),
    path("_control/connections", views.control_connections, name="control_connections"),
    # Last: whatever else is asked for gets StackOne's JSON 404, not Django's HTML page.
    re_path(r"^(?P<rest>[\s\S]*)\Z", views.unknown_path, name="unknown"),
]
