from django.urls import path  # noqa: F401

from reporting.views.criteria import criteria, criteria_download, criteria_export
from reporting.views.dashboard import dashboard
from reporting.views.reports import report, report_download, report_export, report_list

app_name = "reporting"
urlpatterns: list = [
    path("dashboard/", dashboard, name="dashboard"),
    path("criteria/", criteria, name="criteria"),
    path("criteria/export.<slug:fmt>", criteria_export, name="criteria_export"),
    path("criteria/download.<slug:fmt>", criteria_download, name="criteria_download"),
    path("reports/", report_list, name="report_list"),
    path("reports/<slug:slug>/", report, name="report"),
    path("reports/<slug:slug>/download.<slug:fmt>", report_download, name="report_download"),
    path("reports/<slug:slug>/files/<slug:fmt>/", report_export, name="report_export"),
]

# The evaluation framework's reading pages (reporting/views/evaluation.py).
from reporting.views import evaluation as evaluation_views  # noqa: E402

urlpatterns += [
    path(
        "outcomes/<int:outcome_pk>/periods/<slug:period_slug>/",
        evaluation_views.outcome_period_page,
        name="outcome_period",
    ),
    path("metrics/", evaluation_views.metric_library, name="metric_library"),
    path("metrics/<int:pk>/", evaluation_views.metric_detail, name="metric_detail"),
]
