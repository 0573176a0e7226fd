"""API shapes of the person, their household and their preferences."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Household, Preferences, User
from .selectors import is_mfa_enabled
from .services.profile import PREFERENCE_FIELDS


class HouseholdSummarySerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "name", "currency", "role"]

    def get_role(self, household: Household) -> str:
        return self.context["membership"].role


class MeSerializer(serializers.ModelSerializer):
    """Needs `membership` (the person's, or None) in the context."""

    household = serializers.SerializerMethodField()
    mfa_enabled = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "date_joined", "household", "mfa_enabled"]
        read_only_fields = fields

    @extend_schema_field(HouseholdSummarySerializer(allow_null=True))
    def get_household(self, user: User) -> dict | None:
        membership = self.context.get("membership")
        if membership is None:
            return None
        return HouseholdSummarySerializer(membership.household, context=self.context).data

    def get_mfa_enabled(self, user: User) -> bool:
        return is_mfa_enabled(user)


class MeUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=80, allow_blank=True)


class PreferencesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Preferences
        fields = list(PREFERENCE_FIELDS)
