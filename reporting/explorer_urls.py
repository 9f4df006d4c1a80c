"""The plan explorer and Directions matrix keep their `plans:` URL names, though reporting serves them."""

from django.urls import path

from reporting.views import explorer as views

app_name = "plans"
urlpatterns: list = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("directions/", views.direction_list, name="direction_list"),
    path("directions/<str:letter>/", views.direction_detail, name="direction_detail"),
]
