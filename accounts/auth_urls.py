"""Entrance pages that sit beside allauth's under /accounts/ (so their names follow allauth's `account_*`)."""

from django.urls import path

from .views import invitations, mfa

urlpatterns = [
    path("login/two-factor/", mfa.login_otp, name="account_login_otp"),
    path("invitations/<str:token>/", invitations.invitation_open, name="invitation_accept"),
]
