"""A period's deadline reads as how near it is, in words, wherever it appears."""

import datetime as dt

from django.template import Context, Template

from core.deadlines import deadline_status

TODAY = dt.date(2025, 1, 10)


def test_days_left_count_down_to_due_today_then_overdue():
    assert deadline_status(TODAY + dt.timedelta(days=5), TODAY).text == "5 days left"
    assert deadline_status(TODAY + dt.timedelta(days=1), TODAY).text == "1 day left"
    assert deadline_status(TODAY, TODAY).text == "due today"
    assert deadline_status(TODAY - dt.timedelta(days=1), TODAY).text == "overdue by 1 day"
    assert deadline_status(TODAY - dt.timedelta(days=2), TODAY).text == "overdue by 2 days"


def test_colour_grows_more_urgent_but_words_say_it_too():
    far = deadline_status(TODAY + dt.timedelta(days=30), TODAY)
    near = deadline_status(TODAY + dt.timedelta(days=3), TODAY)
    today = deadline_status(TODAY, TODAY)
    late = deadline_status(TODAY - dt.timedelta(days=3), TODAY)
    assert [s.tag_modifier for s in (far, near, today, late)] == ["grey", "yellow", "orange", "red"]
    assert late.is_overdue and not today.is_overdue
    assert far.text == "30 days left"


class _Period:
    def __init__(self, deadline, is_open):
        self.deadline = deadline
        self.is_open = is_open


def _render(period):
    template = Template("{% load deadlines %}{% deadline_tag period today=today %}")
    return template.render(Context({"period": period, "today": TODAY}))


def test_an_open_periods_deadline_shows_the_date_and_a_tag():
    html = _render(_Period(TODAY + dt.timedelta(days=5), is_open=True))
    assert "Wednesday 15 January 2025" in html
    assert 'govuk-tag--yellow app-deadline">5 days left</strong>' in html


def test_a_closed_periods_deadline_is_history_with_no_countdown():
    html = _render(_Period(TODAY - dt.timedelta(days=90), is_open=False))
    assert "12 October 2024" in html
    assert "overdue" not in html and "govuk-tag" not in html


def test_no_deadline_says_so():
    assert "No deadline set" in _render(_Period(None, is_open=True))


def test_a_count_of_updates_reads_due_in_today_or_overdue():
    assert deadline_status(TODAY + dt.timedelta(days=5), TODAY).due == "due in 5 days"
    assert deadline_status(TODAY + dt.timedelta(days=1), TODAY).due == "due in 1 day"
    assert deadline_status(TODAY, TODAY).due == "due today"
    assert deadline_status(TODAY - dt.timedelta(days=2), TODAY).due == "overdue by 2 days"


def test_every_page_showing_an_open_periods_deadline_says_how_near_it_is(
    client, officer, programme_office, commissioner, cycle
):
    from django.urls import reverse
    from django.utils import timezone

    cycle.period.deadline = timezone.localdate() + dt.timedelta(days=5)
    cycle.period.save()
    pages = [
        (officer, reverse("outcomes:my_updates")),
        (officer, cycle.url("1a")),
        (programme_office, reverse("outcomes:period_list")),
        (programme_office, reverse("outcomes:period_detail", args=[cycle.period.slug])),
        (commissioner, f"{reverse('reporting:dashboard')}?period={cycle.period.slug}"),
    ]
    for user, url in pages:
        client.force_login(user)
        body = client.get(url).content.decode()
        assert 'app-deadline">5 days left</strong>' in body, url
