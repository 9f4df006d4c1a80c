"""Values every page's layout needs: service and organisation names, primary navigation."""

from django.conf import settings
from django.http import HttpRequest

from accounts.navigation import primary_navigation
from plans.selectors import organisation_name


def service(request: HttpRequest) -> dict:
    return {
        "service_name": settings.SERVICE_NAME,
        "organisation_name": organisation_name(),
        "primary_navigation": primary_navigation(request),
    }
