from django.urls import path

from candidates import views

app_name = "candidates"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<str:account_id>/candidates/", views.candidate_list, name="list"),
    # Candidate ids are opaque and may contain "/" (WSGI decodes %2F), hence <path:>.
    path("accounts/<str:account_id>/candidates/<path:candidate_id>/", views.candidate_edit, name="edit"),
]
