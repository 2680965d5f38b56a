"""Pages reached from mailed links, and asking for them: confirm e-mail, reset password, check inbox."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from neighbourly.accounts import services
from neighbourly.accounts.forms import PasswordResetForm, SetPasswordForm
from neighbourly.accounts.tokens import password_reset_user
from neighbourly.core.errors import ApplicationError
from neighbourly.core.forms import form_add_application_error


def _no_referrer(view):
    """Pages whose URL holds a secret token: only our origin, never the path, travels in a Referer header."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "strict-origin"  # no path (the token); the Origin the CSRF check needs stays
        return response

    return wrapped


def check_inbox(request, email: str, *, purpose: str):
    return render(request, "accounts/check_inbox.html", {"email": email, "purpose": purpose})


@_no_referrer
def confirm_email(request, token: str):
    """GET shows a button, POST confirms: link scanners that fetch mailed links must not use them up."""
    if request.method == "POST":
        try:
            user = services.email_confirm(token=token)
        except ApplicationError as exc:
            return render(request, "accounts/confirm_email.html", {"error": exc.message}, status=exc.status_code)
        services.user_login_confirmed(request=request, user=user)
        messages.success(request, "Your e-mail address is confirmed. Welcome!")
        return redirect("site:home")  # where they belong: finding their address, for most
    return render(request, "accounts/confirm_email.html", {"token": token})


@login_required
@require_POST
def confirmation_resend(request):
    services.email_confirmation_resend(user=request.user)
    return check_inbox(request, request.user.email, purpose="confirm")


def password_reset(request):
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        return check_inbox(request, form.cleaned_data["email"], purpose="reset")
    return render(request, "accounts/password_reset.html", {"form": form}, status=400 if form.errors else 200)


@_no_referrer
def password_reset_confirm(request, uid: str, token: str):
    try:
        password_reset_user(uid=uid, token=token)
    except ApplicationError as exc:
        return render(request, "accounts/password_reset_confirm.html", {"error": exc.message}, status=400)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_confirm(uid=uid, token=token, password=form.cleaned_data["password"])
        except ApplicationError as exc:
            form_add_application_error(form, exc, field="password")
        else:
            messages.success(request, "Your password is changed. Log in with your new password.")
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form}, status=400 if form.errors else 200)
