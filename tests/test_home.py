"""A newcomer who signs in sees the real plans and reporting periods, not a blank page."""
from django.urls import reverse


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_lists_thurrocks_plans_and_periods(client, thurrock, commissioner):
    client.force_login(commissioner)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enhanced Improvement and Recovery Plan" in page
    assert "Quarter to December 2024" in page
    assert "Quarter to September 2024" in page
    assert "Thurrock Council" in page


def test_an_officer_is_pointed_first_to_their_updates(client, thurrock, officer):
    client.force_login(officer)
    page = client.get("/").content.decode()
    assert "Start here" in page
    assert page.index("My updates") < page.index("Dashboard")
    assert "Sign-off" not in page
