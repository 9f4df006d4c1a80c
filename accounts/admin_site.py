"""Django's admin, answering a signed-in person who is not staff with the 403 page."""

from __future__ import annotations

from functools import update_wrapper

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied

NOT_STAFF = "The admin is for the service's administrators; your account is not one of them."


class StaffOnlyAdminSite(AdminSite):
    def admin_view(self, view, cacheable=False):
        # Django's admin sends anyone without staff access to its login page, which forwards to
        # the service's sign-in page, which sends a signed-in person straight back: a redirect
        # loop. Someone already signed in needs to be told instead. Anonymous visitors still go
        # to sign in.
        checked = super().admin_view(view, cacheable)

        def staff_only(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(NOT_STAFF)
            return checked(request, *args, **kwargs)

        return update_wrapper(staff_only, checked)


class StaffOnlyAdminConfig(AdminConfig):
    """django.contrib.admin, with StaffOnlyAdminSite as `admin.site` (INSTALLED_APPS names this)."""

    default_site = "accounts.admin_site.StaffOnlyAdminSite"
