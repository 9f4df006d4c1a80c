from django.urls import path

from plans import views

app_name = "plans"
urlpatterns: list = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("directions/", views.direction_list, name="direction_list"),
    path("directions/<str:letter>/", views.direction_detail, name="direction_detail"),
]
