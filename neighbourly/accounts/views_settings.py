"""The account page: profile, privacy, personal tokens, export, deletion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from neighbourly.accounts import privacy, services
from neighbourly.accounts.forms import (
    DeleteAccountForm,
    EmailChangeForm,
    PasswordChangeForm,
    PrivacyForm,
    ProfileForm,
    TokenForm,
)
from neighbourly.accounts.selectors import api_token_list, block_list
from neighbourly.core.errors import ApplicationError
from neighbourly.core.forms import form_add_application_error


def _render(request, *, profile_form=None, token_form=None, delete_form=None, new_token=None, privacy_form=None,
            password_form=None, email_form=None, status=200):
    profile = request.user.profile
    context = {
        "profile_form": profile_form or ProfileForm(initial={
            "display_name": profile.display_name, "bio": profile.bio, "age_band": profile.age_band}),
        "privacy_form": privacy_form or PrivacyForm(initial={
            "neighbour_label": profile.neighbour_label, "in_directory": profile.in_directory}),
        "token_form": token_form or TokenForm(),
        "password_form": password_form or PasswordChangeForm(prefix="pw"),
        "email_form": email_form or EmailChangeForm(prefix="em"),
        "delete_form": delete_form or DeleteAccountForm(),
        "tokens": api_token_list(user=request.user),
        "blocks": block_list(user=request.user),
        "new_token": new_token,
    }
    return render(request, "accounts/settings.html", context, status=status)


@login_required
def account_settings(request):
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(user=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form_add_application_error(form, exc)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect("accounts:settings")
        return _render(request, profile_form=form, status=400)
    return _render(request)


@login_required
@require_POST
def privacy_update(request):
    form = PrivacyForm(request.POST)
    if not form.is_valid():
        return _render(request, privacy_form=form, status=400)
    services.profile_privacy_update(user=request.user, **form.cleaned_data)
    messages.success(request, "Your privacy choices are saved.")
    return redirect("accounts:settings")


@login_required
@require_POST
def password_change(request):
    form = PasswordChangeForm(request.POST, prefix="pw")
    if form.is_valid():
        try:
            services.password_change(request=request, user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_add_application_error(
                form, exc, field="current_password" if exc.status_code == 403 else "new_password")
        else:
            messages.success(request, "Your password is changed. Other devices are logged out.")
            return redirect("accounts:settings")
    return _render(request, password_form=form, status=400)


@login_required
@require_POST
def email_change(request):
    form = EmailChangeForm(request.POST, prefix="em")
    if form.is_valid():
        try:
            services.email_change_request(user=request.user, new_email=form.cleaned_data["email"],
                                          password=form.cleaned_data["password"])
        except ApplicationError as exc:
            form_add_application_error(form, exc, field="password" if exc.status_code == 403 else "email")
        else:
            messages.success(request, f"Check your inbox at {form.cleaned_data['email']}: your address changes "
                                      "once you open the link we sent there.")
            return redirect("accounts:settings")
    return _render(request, email_form=form, status=400)


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render(request, token_form=form, status=400)
    _, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
    return _render(request, new_token=raw)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    services.api_token_revoke(user=request.user, token_id=token_id)
    messages.success(request, "The token is revoked.")
    return redirect("accounts:settings")


@login_required
def data_export(request):
    response = JsonResponse(privacy.user_export(user=request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="neighbourly-export.json"'
    return response


@login_required
@require_POST
def account_delete(request):
    form = DeleteAccountForm(request.POST)
    if form.is_valid():
        try:
            services.user_delete_confirmed(request=request, user=request.user, password=form.cleaned_data["password"],
                                           keep_content=form.cleaned_data["keep_content"] == "keep")
        except ApplicationError as exc:
            form_add_application_error(form, exc, field="password")
        else:
            messages.success(request, "Your account and personal data are deleted. Goodbye, neighbour.")
            return redirect("site:landing")
    return _render(request, delete_form=form, status=400)
