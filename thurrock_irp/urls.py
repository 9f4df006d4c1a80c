"""Top-level URL map: each app owns its own URLs."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from reporting.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("reporting.urls")),
    path("", include("accounts.urls")),
    path("", include("outcomes.urls")),
    path("", include("reporting.explorer_urls")),
    path("delivery/", include("reporting.delivery_urls")),
    # One sign-in page for everyone, so throttling and the accessible form apply to staff too.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]

handler400 = "accounts.views.bad_request"
handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"
