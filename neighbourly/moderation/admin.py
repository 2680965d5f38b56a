"""The Django admin for site admins: reports, the cases they gather into, and the decisions log.

Read-only: a case is decided by a moderator of its community on the moderation queue
(`action_take`: guideline, reason, the author told, one appeal), never by editing rows here.
"""

from django.contrib import admin

from neighbourly.core.admin import ReadOnlyAdmin
from neighbourly.moderation.models import Action, Case, Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "target_type", "target_id", "community", "reporter", "guideline", "case_status")
    list_select_related = ("community", "reporter", "case")
    # A report's status is its case's: waiting for a moderator, or decided.
    list_filter = (("case__status", admin.ChoicesFieldListFilter), "target_type", "community")
    search_fields = ("reporter__email", "reason")
    date_hierarchy = "created_at"
    fields = ("reporter", "community", "case", "target_type", "target_id", "guideline", "reason", "created_at")
    readonly_fields = fields

    @admin.display(description="status", ordering="case__status")
    def case_status(self, obj):
        return obj.case.get_status_display() if obj.case else "—"


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("target_type", "target_id", "community", "author", "status", "reporter_count", "hidden",
                    "last_reported_at")
    list_select_related = ("community", "author")
    list_filter = ("status", "hidden", "target_type", "community")
    search_fields = ("author__email",)
    fields = ("community", "target_type", "target_id", "author", "status", "reporter_count", "last_reported_at",
              "auto_hidden_at", "hidden", "created_at", "updated_at")
    readonly_fields = fields


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    """The moderators' audit log."""

    list_display = ("created_at", "kind", "target_type", "target_id", "community", "moderator", "subject",
                    "guideline_title", "suspended_until")
    list_select_related = ("community", "moderator", "subject")
    list_filter = ("kind", "target_type", "community")
    search_fields = ("moderator__email", "subject__email", "reason")
    fields = ("community", "case", "kind", "target_type", "target_id", "moderator", "subject", "guideline",
              "guideline_title", "reason", "suspended_until", "content_snapshot", "created_at")
    readonly_fields = fields
