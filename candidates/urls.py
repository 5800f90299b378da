from django.urls import path, register_converter

from candidates import audit_views, list_views, views
from candidates.bulk import views as bulk_views
from candidates.directory import views as directory_views
from candidates.health import views as health_views

app_name = "candidates"


class IdConverter:
    """An id as its column holds it: at most 255 characters (``max_length`` of every account and
    candidate id column), so a longer one is a 404, never a database error (PostgreSQL refuses a
    value longer than its column)."""

    regex = "[^/]{1,255}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class AccountIdConverter(IdConverter):
    """A linked account id: no "/", at most 255 characters. (A NUL or a control character reaches
    the view, whose StackOne client names the problem: ``stackone._account_header``.)"""


class StorableIdConverter(IdConverter):
    """An account id the directory and data-health tables can be queried with: no "/" and no NUL
    (PostgreSQL text refuses NUL; such a URL is a 404, never a database error)."""

    regex = "[^/\x00]{1,255}"


class CandidateIdConverter(IdConverter):
    """A candidate id: opaque, may contain "/" (WSGI decodes %2F), at most 255 characters."""

    regex = ".{1,255}"


class EditStepConverter(IdConverter):
    """The name of a step of the edit flow after the edit form's Save (``views.EDIT_STEPS``)."""

    regex = "|".join(views.EDIT_STEPS)


register_converter(AccountIdConverter, "account")
register_converter(StorableIdConverter, "storable")
register_converter(CandidateIdConverter, "candidate")
register_converter(EditStepConverter, "edit_step")
CANDIDATE = "accounts/<account:account_id>/candidates/<candidate:candidate_id>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<account:account_id>/candidates/", list_views.candidate_list, name="list"),
    path("accounts/<account:account_id>/editor/new-row/", views.editor_new_row, name="new_row"),
    path("accounts/<storable:account_id>/directory/sync/", directory_views.directory_sync_now,
         name="directory_sync"),
    path("accounts/<storable:account_id>/directory/status/", directory_views.directory_status_partial,
         name="directory_status"),
    # Candidate ids are opaque and may contain "/" (WSGI decodes %2F), hence <candidate:> (as <path:>);
    # the history and step routes come first so ".../history/" is not read as part of an id.
    path(f"{CANDIDATE}history/", audit_views.candidate_history, name="history"),
    path(f"{CANDIDATE}revert/<int:entry_id>/", views.candidate_revert, name="revert"),
    # The edit flow's steps after the edit form's Save (which posts to the edit page itself):
    # …/confirm/, …/review/, …/back/, …/resolve/, …/add-row/.
    path(f"{CANDIDATE}<edit_step:step>/", views.candidate_edit_step, name="edit_step"),
    path(CANDIDATE, views.candidate_edit, name="edit"),
    path("accounts/<storable:account_id>/health/", health_views.health_page, name="health"),
    path("accounts/<storable:account_id>/health/fix/", health_views.health_fix, name="health_fix"),
    path("accounts/<storable:account_id>/health/export.csv", health_views.health_export,
         name="health_export"),
    path("accounts/<storable:account_id>/health/clusters/", health_views.health_clusters,
         name="health_clusters"),
    path("health/", health_views.health_home, name="health_home"),
    path("audit/", audit_views.audit_list, name="audit"),
    path("audit/export.csv", audit_views.audit_export, name="audit_export"),
    path("preferences/review/", audit_views.review_preference, name="preferences"),
    path("bulk/", bulk_views.bulk_upload, name="bulk"),
    path("bulk/jobs/<int:job_id>/", bulk_views.bulk_job, name="bulk_job"),
    path("bulk/jobs/<int:job_id>/status.json", bulk_views.bulk_job_status, name="bulk_status"),
    path("bulk/jobs/<int:job_id>/start/", bulk_views.bulk_job_start, name="bulk_start"),
    path("bulk/jobs/<int:job_id>/resume/", bulk_views.bulk_job_resume, name="bulk_resume"),
    path("bulk/jobs/<int:job_id>/retry/", bulk_views.bulk_job_retry_failed, name="bulk_retry"),
    path("bulk/jobs/<int:job_id>/conflicts/", bulk_views.bulk_job_conflicts_review, name="bulk_conflicts"),
    path("bulk/jobs/<int:job_id>/revert/", bulk_views.bulk_job_revert_start, name="bulk_revert"),
    path("bulk/jobs/<int:job_id>/results.csv", bulk_views.bulk_job_results, name="bulk_results"),
]
