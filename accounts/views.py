"""Sign-in pages are Django's own; here are the accessibility statement and error pages."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing an over-long username before anyone looks it up.

    Django only sets the username's maxlength in the HTML, not on the server, so a longer one
    went on to django-axes, whose 255-character username column made PostgreSQL answer 500.
    No account has such a name, so it gets the same answer as a wrong password.
    A missing field is named, as the GOV.UK Design System asks ("Enter your username"), rather
    than Django's "This field is required", which says nothing in the error summary.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if len(username) > (self.fields["username"].max_length or 150):
            raise self.get_invalid_login_error()
        return super().clean()


def ping(request: HttpRequest) -> HttpResponse:
    """The cheapest signed-in page: the floor the latency benchmark compares every page against."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/accessibility.html")


@login_not_required
def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "400.html", status=400)


@login_not_required
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be the thing that failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
