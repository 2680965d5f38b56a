"""The Django admin for site admins: local businesses and their offers, to look at.

Read-only: owners edit their business and offers on their desk, and each community's moderators
prove addresses and approve businesses (`business_postcard_issue`, `business_decide`); an edit
here would skip those checks and the owners' notifications.
"""

from django.contrib import admin

from neighbourly.core.admin import ReadOnlyMixin, is_set_filter
from neighbourly.merchants.models import Business, Offer, ServedCommunity

VerifiedFilter = is_set_filter(title="address proven", parameter_name="verified", field="address_verified_at")
HiddenFilter = is_set_filter(title="hidden by moderation", parameter_name="hidden", field="hidden_at")


class ServedInline(ReadOnlyMixin, admin.TabularInline):
    model = ServedCommunity
    fields = ("community", "status", "distance_m", "decided_by", "decided_at", "reason")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("community", "decided_by")


@admin.register(Business)
class BusinessAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "category", "is_verified", "is_hidden", "created_by", "created_at")
    list_select_related = ("created_by",)
    # "served__status": the moderators' decision in a community it serves (pending/approved/refused).
    list_filter = (("served__status", admin.ChoicesFieldListFilter), VerifiedFilter, HiddenFilter, "category")
    search_fields = ("name", "address", "created_by__email")
    inlines = (ServedInline,)
    # Not the proof document itself: it sits in private storage until a moderator decides.
    fields = (
        "name", "category", "address", "lon", "lat", "opening_hours", "description", "created_by",
        "proof_method", "address_verified_at", "address_verified_by", "document_kind", "document_at",
        "hidden_at", "created_at", "updated_at",
    )
    readonly_fields = fields

    @admin.display(description="address proven", boolean=True, ordering="address_verified_at")
    def is_verified(self, obj):
        return obj.is_verified

    @admin.display(description="hidden", boolean=True, ordering="hidden_at")
    def is_hidden(self, obj):
        return obj.hidden_at is not None


@admin.register(Offer)
class OfferAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "business", "status", "starts_at", "ends_at", "claims_count", "max_claims")
    list_select_related = ("business",)
    list_filter = ("status",)
    search_fields = ("title", "business__name")
    fields = (
        "business", "title", "body", "starts_at", "ends_at", "max_claims", "per_household", "status",
        "closed_at", "claims_count", "saves_count", "redemptions_count", "impressions", "hidden_at",
        "created_by", "created_at", "updated_at",
    )
    readonly_fields = fields
