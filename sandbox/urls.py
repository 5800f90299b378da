"""StackOne's paths under /sandbox/ (mounted by stackone_admin.urls only in sandbox mode)."""

from django.urls import path

from sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("accounts", views.accounts, name="accounts"),
    path("accounts/<str:account_id>", views.account_detail, name="account"),
    path("accounts/<str:account_id>/meta", views.account_meta, name="account_meta"),
    path("unified/ats/candidates", views.candidates, name="candidates"),
    # <path:…>: Django decodes %2F to "/" before routing, and provider ids may contain slashes.
    path("unified/ats/candidates/<path:candidate_id>", views.candidate, name="candidate"),
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
]
