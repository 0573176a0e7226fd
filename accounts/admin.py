"""Admin for people and households. Secrets (token and invitation digests) are read-only; API tokens can only be
made by their owner (the key is shown once, in the settings page), but operators can revoke them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .models import ApiToken, Household, Invitation, Membership, Preferences, User
from .services import api_token_revoke, household_create_for_user, invitation_revoke_by_operator


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]


class PreferencesInline(admin.StackedInline):
    model = Preferences
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ["email", "display_name", "household", "is_staff", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "date_joined"]
    search_fields = ["email", "display_name", "membership__household__name"]
    ordering = ["email"]
    list_select_related = ["membership__household"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)

    @admin.display(description="household", ordering="membership__household__name")
    def household(self, user: User) -> str:
        membership = getattr(user, "membership", None)
        return str(membership.household) if membership else "—"

    def get_inlines(self, request: HttpRequest, obj: User | None):
        # New people get their preferences (with their household) from the service in save_model.
        return [PreferencesInline] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:  # everyone has a household, also people an operator adds
            household_create_for_user(obj)


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["name", "currency", "member_count", "created_at"]
    list_filter = ["currency", "created_at"]
    search_fields = ["name", "memberships__user__email"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Household]:
        return super().get_queryset(request).annotate(member_count=Count("memberships", distinct=True))

    @admin.display(description="members", ordering="member_count")
    def member_count(self, household: Household) -> int:
        return household.member_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "household", "role", "joined_at"]
    list_filter = ["role", "joined_at"]
    search_fields = ["user__email", "user__display_name", "household__name"]
    list_select_related = ["user", "household"]
    raw_id_fields = ["user", "household"]


class InvitationStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("accepted", "Accepted"), ("revoked", "Revoked"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        now = timezone.now()
        pending = queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        return {
            "open": pending.filter(expires_at__gt=now),
            "accepted": queryset.filter(accepted_at__isnull=False),
            "revoked": queryset.filter(revoked_at__isnull=False),
            "expired": pending.filter(expires_at__lte=now),
        }.get(self.value(), queryset)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "household", "role", "invited_by", "created_at", "expires_at", "status"]
    list_filter = [InvitationStatusFilter, "role", "created_at"]
    search_fields = ["email", "household__name", "invited_by__email"]
    list_select_related = ["household", "invited_by"]
    raw_id_fields = ["household", "invited_by", "accepted_by"]
    readonly_fields = ["token_hash", "created_at", "accepted_at", "accepted_by"]
    actions = ["revoke"]

    @admin.display(description="status")
    def status(self, invitation: Invitation) -> str:
        if invitation.accepted_at:
            return "accepted"
        if invitation.revoked_at:
            return "revoked"
        return "open" if invitation.is_open else "expired"

    @admin.action(description="Revoke selected invitations")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        invitations = list(queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True))
        for invitation in invitations:
            invitation_revoke_by_operator(invitation)
        self.message_user(request, f"{len(invitations)} invitation(s) revoked.", messages.SUCCESS)


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "currency", "theme", "coaching_tone", "insight_frequency", "notify_in_app", "notify_email"]
    list_filter = ["theme", "coaching_tone", "insight_frequency", "notify_in_app", "notify_email", "privacy_mode"]
    search_fields = ["user__email", "user__display_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "scope", "created_at", "last_used_at", "active"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "prefix", "key_hash", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="active", boolean=True)
    def active(self, token: ApiToken) -> bool:
        return token.is_active

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            api_token_revoke(token=token)
        self.message_user(request, f"{len(tokens)} token(s) revoked.", messages.SUCCESS)
