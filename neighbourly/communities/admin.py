"""The Django admin for site admins: communities, the address register and memberships.

A site admin creates communities here (through `community_create`, as the CLI does) and changes
their settings. Membership state (role, verification, suspension) is read-only on the pages and
changes only through the actions below, each calling the service that owns the change.
"""

import json
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html

from neighbourly.communities.geo import boundary_from_geojson
from neighbourly.communities.models import (
    VERIFICATION_METHOD_NAMES,
    Address,
    Community,
    Membership,
    MembershipStatus,
    Role,
)
from neighbourly.communities.services import (
    SUSPEND_MAX_DAYS,
    community_create,
    membership_grant_role,
    membership_suspend,
    membership_suspension_end,
)
from neighbourly.core.admin import ReadOnlyAdmin
from neighbourly.core.errors import ApplicationError

# --- communities -----------------------------------------------------------------------------


class CommunityForm(forms.ModelForm):
    verification_methods = forms.MultipleChoiceField(
        choices=[(name, name) for name in VERIFICATION_METHOD_NAMES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The ways a newcomer may prove their address here.",
    )

    class Meta:
        model = Community
        exclude = ("boundary", "min_lon", "min_lat", "max_lon", "max_lat")


class CommunityCreateForm(forms.ModelForm):
    """What `community_create` takes: the rest is set on the change page afterwards."""

    boundary_geojson = forms.CharField(
        label="Boundary",
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        help_text="GeoJSON Polygon or MultiPolygon in WGS84 lon/lat (a bare geometry, a Feature or a "
        "one-feature FeatureCollection).",
    )

    class Meta:
        model = Community
        fields = ("slug", "name", "nearby")

    def clean_boundary_geojson(self) -> dict:
        text = self.cleaned_data["boundary_geojson"]
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(f"This is not JSON: {exc}") from exc
        try:
            boundary_from_geojson(data)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc
        return data


def _annotated_counts(queryset):
    """Verified members and register size, as subqueries (two joined Counts would multiply)."""
    members = (
        Membership.objects.filter(community=OuterRef("pk"), status=MembershipStatus.VERIFIED)
        .order_by().values("community").annotate(n=Count("pk")).values("n")
    )
    addresses = Address.objects.filter(community=OuterRef("pk")).order_by().values("community").annotate(
        n=Count("pk")
    ).values("n")
    return queryset.annotate(
        verified_members=Coalesce(Subquery(members, output_field=IntegerField()), 0),
        register_size=Coalesce(Subquery(addresses, output_field=IntegerField()), 0),
    )


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    form = CommunityForm
    add_form = CommunityCreateForm
    list_display = ("name", "slug", "verified_members", "register_size", "household_cap", "created_at")
    search_fields = ("name", "slug")
    filter_horizontal = ("nearby",)
    readonly_fields = ("boundary_as_geojson", "bounding_box", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("slug", "name", "nearby")}),
        ("Boundary", {"fields": ("boundary_as_geojson", "bounding_box")}),
        ("Households", {"fields": ("household_cap",)}),
        (
            "Verification",
            {
                "fields": (
                    "verification_methods",
                    "geolocation_radius_m",
                    "geolocation_max_accuracy_m",
                    "geolocation_suffices",
                    "vouches_required",
                    "vouch_min_days",
                    "vouch_monthly_quota",
                )
            },
        ),
        ("History", {"fields": ("created_at", "updated_at")}),
    )
    add_fieldsets = ((None, {"fields": ("slug", "name", "boundary_geojson", "nearby")}),)

    def get_queryset(self, request):
        return _annotated_counts(super().get_queryset(request))

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # The slug is in every URL and the boundary decides which addresses belong: both stay
        # as created (a boundary change would need the register re-assigned).
        return ("slug", *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # The form checked everything community_create checks, so it does not refuse here.
        created = community_create(
            slug=form.cleaned_data["slug"],
            name=form.cleaned_data["name"],
            boundary=form.cleaned_data["boundary_geojson"],
            nearby_slugs=[c.slug for c in form.cleaned_data.get("nearby") or ()],
        )
        # The admin goes on with `obj` (the form's instance: save_m2m, the log, the redirect).
        for field in Community._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False
        obj._state.db = created._state.db

    @admin.display(description="members (verified)", ordering="verified_members")
    def verified_members(self, obj):
        return obj.verified_members

    @admin.display(description="addresses", ordering="register_size")
    def register_size(self, obj):
        return obj.register_size

    @admin.display(description="boundary (GeoJSON)")
    def boundary_as_geojson(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.boundary, indent=2))

    @admin.display(description="bounding box (lon, lat)")
    def bounding_box(self, obj):
        return f"{obj.min_lon:.6f}, {obj.min_lat:.6f} — {obj.max_lon:.6f}, {obj.max_lat:.6f}"


# --- the address register ----------------------------------------------------------------------


@admin.register(Address)
class AddressAdmin(ReadOnlyAdmin):
    """The register is imported (`neighbourly import-addresses`); its keys are derived, so no edits."""

    list_display = ("label", "street", "postcode", "community")
    list_select_related = ("community",)
    list_filter = ("community",)
    search_fields = ("street", "postcode", "number", "city")
    show_full_result_count = False  # registers run to 100,000s of rows
    fields = ("community", "number", "street", "unit", "city", "postcode", "lon", "lat", "key")


# --- memberships -------------------------------------------------------------------------------


class MembershipActionForm(ActionForm):
    # Checked by the action itself (a CharField here), so a bad number is a message saying so
    # rather than the admin's "No action selected".
    suspend_days = forms.CharField(
        label="Suspend for (days)", required=False, initial="7",
        widget=forms.NumberInput(attrs={"min": 1, "max": SUSPEND_MAX_DAYS}),
    )


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    action_form = MembershipActionForm
    actions = ("appoint_moderator", "appoint_property_manager", "make_resident", "suspend", "end_suspension")
    list_display = ("user_email", "display_name", "community", "role", "status", "verified_at", "suspended_until")
    list_select_related = ("user__profile", "community")
    list_filter = ("role", "status", "community")
    search_fields = ("user__email", "user__profile__display_name")
    fields = (
        "user", "community", "address", "role", "status", "verified_at", "suspended_until", "created_at", "updated_at",
    )
    readonly_fields = fields

    @admin.display(description="e-mail", ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.display(description="display name", ordering="user__profile__display_name")
    def display_name(self, obj):
        profile = getattr(obj.user, "profile", None)
        return profile.display_name if profile else "—"

    def has_manage_permission(self, request):
        # The actions' own permission: the rows stay read-only, the services make the changes.
        return request.user.has_perm("communities.change_membership")

    def _run(self, request, queryset, *, verb: str, call) -> None:
        """Call the service for each selected membership; say what worked and what was refused."""
        done = 0
        for membership in queryset.select_related("user", "community"):
            try:
                call(membership)
            except ApplicationError as exc:
                self.message_user(request, f"{membership.user.email} in {membership.community}: {exc.message}",
                                  messages.ERROR)
                continue
            self.log_change(request, membership, verb)
            done += 1
        if done:
            self.message_user(request, f"{verb}: {done} membership{'' if done == 1 else 's'}.", messages.SUCCESS)

    def _grant(self, request, queryset, role: str, verb: str) -> None:
        def call(membership):
            if not membership.user.email_confirmed and role != Role.RESIDENT:
                # As `neighbourly grant-role`: an unconfirmed address may not be theirs.
                raise ApplicationError("the account has not confirmed its e-mail address, so it may not be theirs.")
            membership_grant_role(user=membership.user, community=membership.community, role=role)

        self._run(request, queryset, verb=verb, call=call)

    @admin.action(description="Appoint as moderator", permissions=["manage"])
    def appoint_moderator(self, request, queryset):
        self._grant(request, queryset, Role.MODERATOR, "Appointed moderator")

    @admin.action(description="Appoint as property manager", permissions=["manage"])
    def appoint_property_manager(self, request, queryset):
        self._grant(request, queryset, Role.PROPERTY_MANAGER, "Appointed property manager")

    @admin.action(description="Back to resident (remove the role)", permissions=["manage"])
    def make_resident(self, request, queryset):
        self._grant(request, queryset, Role.RESIDENT, "Made resident")

    @admin.action(description="Suspend for the days given", permissions=["manage"])
    def suspend(self, request, queryset):
        days = (request.POST.get("suspend_days") or "").strip()
        days = int(days) if days.isdigit() else 0
        if not 1 <= days <= SUSPEND_MAX_DAYS:
            self.message_user(request, f"Give the number of days to suspend for, 1 to {SUSPEND_MAX_DAYS}.",
                              messages.ERROR)
            return
        until = timezone.now() + timedelta(days=days)
        self._run(request, queryset, verb=f"Suspended for {days} day{'' if days == 1 else 's'}",
                  call=lambda m: membership_suspend(membership=m, until=until))

    @admin.action(description="End the suspension", permissions=["manage"])
    def end_suspension(self, request, queryset):
        self._run(request, queryset.filter(status=MembershipStatus.SUSPENDED), verb="Suspension ended",
                  call=lambda m: membership_suspension_end(membership=m))
