"""The Django admin for site admins: accounts.

New accounts are made by `user_create` (so each has its profile). On an existing account the
e-mail address and its confirmation are read-only (a changed address must be confirmed by its
owner); the password shows only as Django's masked hash summary, changed through the admin's own
password form. Staff and superuser flags, activity and permissions are edited here; accounts are
deactivated, not deleted.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm

from neighbourly.accounts.models import Profile, User
from neighbourly.accounts.services import user_create


class UserCreateForm(BaseUserCreationForm):
    """What `user_create` takes, checked here as the service checks it."""

    display_name = forms.CharField(max_length=Profile._meta.get_field("display_name").max_length,
                                   help_text="The name neighbours see.")
    email_confirmed = forms.BooleanField(
        required=False,
        help_text="Tick only if you know the address is theirs; otherwise they confirm it from the e-mail link.",
    )

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("An account with this e-mail address already exists.")
        return email

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError("Choose a display name neighbours will see.")
        return name


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("display_name", "neighbour_label", "in_directory", "time_zone")
    readonly_fields = fields  # the member's own to change

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    inlines = (ProfileInline,)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("E-mail", {"fields": ("email_confirmed_at",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "display_name", "email_confirmed", "password1",
                                                 "password2")}),
    )
    readonly_fields = ("email", "email_confirmed_at", "last_login", "date_joined")
    list_display = ("email", "display_name", "email_confirmed", "is_active", "is_staff", "date_joined")
    list_select_related = ("profile",)
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "profile__display_name")
    ordering = ("email",)

    def has_delete_permission(self, request, obj=None):
        # Deleting here would skip the privacy handlers (accounts.privacy.user_delete: files,
        # anonymised content). Members delete their own accounts; a site admin deactivates one.
        return False

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_inline_instances(self, request, obj=None):
        return [] if obj is None else super().get_inline_instances(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = user_create(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data["display_name"],
            email_confirmed=form.cleaned_data["email_confirmed"],
        )
        # The admin goes on with `obj` (save_m2m, the log, the redirect to the change page).
        for field in User._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False
        obj._state.db = created._state.db

    @admin.display(description="display name", ordering="profile__display_name")
    def display_name(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.display_name if profile else "—"

    @admin.display(description="e-mail confirmed", boolean=True, ordering="email_confirmed_at")
    def email_confirmed(self, obj):
        return obj.email_confirmed
