from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from neighbourly.core.errors import ApplicationError
from neighbourly.notifications import selectors, services
from neighbourly.notifications.models import Delivery, Kind


@login_required
def notification_list(request):
    items, next_cursor = selectors.notification_page(user=request.user, cursor=request.GET.get("cursor"))
    context = {
        "notifications": items,
        "next_cursor": next_cursor,
        "unread_count": selectors.notification_unread_count(user=request.user),
        "preferences": selectors.preference_list(user=request.user),
        "deliveries": Delivery.choices,
    }
    template = "notifications/list.html#notification-items" if request.htmx else "notifications/list.html"
    return render(request, template, context)


@login_required
def notification_badge(request):
    count = selectors.notification_unread_count(user=request.user)
    return render(request, "notifications/list.html#badge", {"unread_count": count})


@login_required
@require_POST
def notification_mark_read(request):
    try:
        up_to_id = int(request.POST.get("up_to_id", ""))
    except ValueError:
        messages.error(request, "Nothing to mark as read.")
    else:
        services.notifications_mark_read(user=request.user, up_to_id=up_to_id)
    return redirect("notifications:list")


@login_required
@require_POST
def preferences_save(request):
    for kind in Kind.values:
        delivery = request.POST.get(f"delivery-{kind}")
        if delivery:
            try:
                services.preference_set(user=request.user, kind=kind, delivery=delivery)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect("notifications:list")
    messages.success(request, "Your e-mail preferences are saved.")
    return redirect("notifications:list")


@csrf_exempt  # RFC 8058 one-click unsubscribe posts without a session; the signed token is the proof
def unsubscribe(request, token: str):
    try:
        user_id, kind = services.unsubscribe_read(token=token)
    except ApplicationError as exc:
        return render(request, "notifications/unsubscribe.html", {"error": exc.message}, status=400)
    label = "all e-mail" if kind == services.ALL_KINDS else f"e-mail about {Kind(kind).label.lower()}"
    if request.method == "POST":
        try:
            services.unsubscribe_apply(token=token, user_model=get_user_model())
        except ApplicationError as exc:
            return render(request, "notifications/unsubscribe.html", {"error": exc.message}, status=400)
        return render(request, "notifications/unsubscribe.html", {"done": True, "label": label})
    return render(request, "notifications/unsubscribe.html", {"label": label})
