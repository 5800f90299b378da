"""Root URLs. The sandbox API is mounted only in sandbox mode (no STACKONE_API_KEY)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from stackone_admin.health import healthz
from stackone_admin.signin import SignInForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(authentication_form=SignInForm,
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("candidates.urls")),
]

if settings.SANDBOX_MODE:
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))

handler400 = "stackone_admin.errors.bad_request"
