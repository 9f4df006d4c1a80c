from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path(
        "account/sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=views.SignInForm),
        name="login",
    ),
    path("account/sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("account/ping/", views.ping, name="ping"),
]
