from django.urls import path

from neighbourly.accounts import views, views_auth, views_settings, views_timezone

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("confirm-email/<str:token>/", views_auth.confirm_email, name="confirm_email"),
    path("confirm-email-again/", views_auth.confirmation_resend, name="confirmation_resend"),
    path("password-reset/", views_auth.password_reset, name="password_reset"),
    path("password-reset/<str:uid>/<str:token>/", views_auth.password_reset_confirm, name="password_reset_confirm"),
    path("account/", views_settings.account_settings, name="settings"),
    path("account/time-zone/", views_timezone.time_zone_update, name="time_zone"),
    path("account/password/", views_settings.password_change, name="password_change"),
    path("account/email/", views_settings.email_change, name="email_change"),
    path("account/privacy/", views_settings.privacy_update, name="privacy"),
    path("account/tokens/", views_settings.token_create, name="token_create"),
    path("account/tokens/<int:token_id>/revoke/", views_settings.token_revoke, name="token_revoke"),
    path("account/export/", views_settings.data_export, name="export"),
    path("account/delete/", views_settings.account_delete, name="delete"),
]
