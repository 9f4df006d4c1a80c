"""Delivery: milestones, RAID logs, boards, status labels and exception reports."""

from django.urls import path

from reporting.views import delivery

app_name = "delivery"
urlpatterns = [
    path("", delivery.delivery_home, name="home"),
    path("boards/", delivery.board_list, name="board_list"),
    path("boards/<slug:slug>/edit/", delivery.board_edit, name="board_edit"),
    path("status-labels/", delivery.status_labels, name="status_labels"),
    path("milestones/<int:pk>/", delivery.milestone_update, name="milestone_update"),
    path("milestones/<int:pk>/edit/", delivery.milestone_edit, name="milestone_edit"),
    path("raid/<int:pk>/edit/", delivery.raid_edit, name="raid_edit"),
    path("<slug:plan_slug>/milestones/", delivery.milestone_list, name="milestone_list"),
    path("<slug:plan_slug>/milestones/new/", delivery.milestone_create, name="milestone_create"),
    path("<slug:plan_slug>/raid/", delivery.raid_list, name="raid_list"),
    path("<slug:plan_slug>/raid/new/", delivery.raid_create, name="raid_create"),
    path(
        "<slug:plan_slug>/exceptions/<slug:board_slug>/", delivery.exception_report, name="exception_report"
    ),
    path(
        "<slug:plan_slug>/exceptions/<slug:board_slug>/export.<slug:fmt>",
        delivery.exception_export,
        name="exception_export",
    ),
    path(
        "<slug:plan_slug>/exceptions/<slug:board_slug>/download.<slug:fmt>",
        delivery.exception_download,
        name="exception_download",
    ),
]
