"""The update cycle's addresses. Other apps link to `criterion_history` and `assessment_edit`."""

from django.urls import path

from outcomes.views import chasing, history, periods, signoff, updates

app_name = "outcomes"
urlpatterns: list = [
    # Officers
    path("updates/", updates.my_updates, name="my_updates"),
    path("updates/<int:pk>/", updates.assessment_edit, name="assessment_edit"),
    path("updates/<int:pk>/withdraw/", updates.assessment_withdraw, name="assessment_withdraw"),
    # Lead Directors
    path("sign-off/", signoff.signoff, name="signoff"),
    path(
        "sign-off/<slug:period_slug>/outcomes/<int:outcome_pk>/",
        signoff.signoff_outcome,
        name="signoff_outcome",
    ),
    path(
        "sign-off/<slug:period_slug>/outcomes/<int:outcome_pk>/approve-shown/",
        signoff.approve_shown,
        name="approve_shown",
    ),
    path("sign-off/updates/<int:pk>/approve/", signoff.assessment_approve, name="assessment_approve"),
    path("sign-off/updates/<int:pk>/return/", signoff.assessment_return, name="assessment_return"),
    # Programme Office ("open/" before the slug pattern, so it is never read as a period's name)
    path("periods/", periods.period_list, name="period_list"),
    path("periods/open/", periods.period_open, name="period_open"),
    path("periods/<slug:slug>/", periods.period_detail, name="period_detail"),
    path("periods/<slug:slug>/close/", periods.period_close, name="period_close"),
    path("periods/<slug:slug>/publish/", periods.period_publish, name="period_publish"),
    path("periods/<slug:slug>/reopen/", periods.period_reopen, name="period_reopen"),
    path("periods/<slug:slug>/deadline/", periods.period_change_deadline, name="period_change_deadline"),
    path("periods/<slug:slug>/completion/", periods.completion, name="completion"),
    path("periods/<slug:slug>/completion/chase/", chasing.chase_outstanding_owners, name="completion_chase"),
    path(
        "periods/<slug:slug>/chase/lead-directors/", chasing.chase_lead_directors, name="chase_lead_directors"
    ),
    path("periods/<slug:slug>/chase/people/<int:person_pk>/", chasing.chase_person, name="chase_person"),
    # Everyone
    path("criteria/<int:pk>/history/", history.criterion_history, name="criterion_history"),
]

# Pre-publication checks (outcomes/views/checks.py).
from outcomes.views import checks as checks_views  # noqa: E402

urlpatterns += [
    path("periods/<slug:slug>/checks/", checks_views.period_checks, name="period_checks"),
    path("periods/<slug:slug>/checks/acknowledge/", checks_views.check_acknowledge, name="check_acknowledge"),
]

# The evaluation framework: measures' evidence, commissioners' judgement, metric imports
# (outcomes/views/evaluation.py; the pages that read them are in reporting).
from outcomes.views import evaluation as evaluation_views  # noqa: E402
from outcomes.views import metric_library as metric_library_views  # noqa: E402

urlpatterns += [
    path(
        "periods/<slug:period_slug>/measures/<int:measure_pk>/evidence/",
        evaluation_views.evidence_edit,
        name="evidence_edit",
    ),
    path("evidence/<int:pk>/download/", evaluation_views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", evaluation_views.evidence_item_remove, name="evidence_item_remove"),
    path(
        "periods/<slug:period_slug>/outcomes/<int:outcome_pk>/judgement/",
        evaluation_views.judgement_edit,
        name="judgement_edit",
    ),
    path(
        "periods/<slug:period_slug>/judgement-publication/",
        evaluation_views.judgement_publication,
        name="judgement_publication",
    ),
    path("metrics/<slug:plan_slug>/import/", evaluation_views.metric_import, name="metric_import"),
    path("metrics/<slug:plan_slug>/new/", metric_library_views.metric_create, name="metric_create"),
    path("metrics/<int:pk>/edit/", metric_library_views.metric_edit, name="metric_edit"),
]
