"""Root URLs. The sandbox API is mounted only in sandbox mode (no STACKONE_API_KEY)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from stackone_admin.health import healthz
from stackone_admin.oidc import ProviderCallbackView, ProviderSignInView
from stackone_admin.signin import SignInView

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("login/", SignInView.as_view(), name="login"),
    # OpenID Connect sign-in (404 unless OIDC_ISSUER is set).
    path("login/oidc/", ProviderSignInView.as_view(), name="oidc_sign_in"),
    path("login/oidc/callback/", ProviderCallbackView.as_view(), name="oidc_callback"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("candidates.urls")),
]

if settings.SANDBOX_MODE:
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))

handler400 = "stackone_admin.errors.bad_request"
