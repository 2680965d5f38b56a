from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from neighbourly.accounts import services
from neighbourly.accounts.forms import LoginForm, SignupForm
from neighbourly.accounts.views_auth import check_inbox
from neighbourly.core.errors import ApplicationError
from neighbourly.core.forms import form_add_application_error
from neighbourly.core.ratelimit import client_ip, rate_limit


def signup(request):
    if request.user.is_authenticated:
        return redirect("site:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rate_limit("signup", ip=client_ip(request))
            services.user_signup(email=data["email"], password=data["password"], display_name=data["display_name"])
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            # The same page whether or not the address already had an account (see user_signup).
            return check_inbox(request, data["email"].strip().lower(), purpose="signup")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.user_login(request=request, email=form.cleaned_data["email"],
                                password=form.cleaned_data["password"])
        except ApplicationError as exc:
            form_add_application_error(form, exc)
            status = exc.status_code
        else:
            return redirect(next_url or "site:home")
    if form.errors and status == 200:
        status = 400
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request):
    services.user_logout(request=request)
    return redirect("site:landing")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes hook: our views already answer a lockout with 429; keep their answer."""
    if isinstance(original_response, HttpResponse) and original_response.status_code == 429:
        return original_response
    detail = "Too many failed attempts. Try again in a few minutes."
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=429)
    return HttpResponse(detail, status=429, content_type="text/plain; charset=utf-8")
