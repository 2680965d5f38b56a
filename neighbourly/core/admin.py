"""What every app's Django admin shares (the apps register their own models)."""

from django.contrib import admin


class ReadOnlyMixin:
    """Viewable, never added, edited or deleted in the admin: the services own these rows (state
    changes go through admin actions that call them)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


def is_set_filter(*, title: str, parameter_name: str, field: str) -> type[admin.SimpleListFilter]:
    """A Yes/No list filter on whether a nullable timestamp (`field`) is set."""

    class IsSetFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            return (("yes", "Yes"), ("no", "No"))

        def queryset(self, request, queryset):
            if self.value() in ("yes", "no"):
                return queryset.filter(**{f"{field}__isnull": self.value() == "no"})
            return queryset

    IsSetFilter.title, IsSetFilter.parameter_name = title, parameter_name
    return IsSetFilter
