"""API shapes of linked banks. Access tokens are never part of them."""

from __future__ import annotations

from rest_framework import serializers

from transactions.models import FinancialAccount, PlaidItem


class PlaidAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = FinancialAccount
        fields = [
            "id",
            "name",
            "kind",
            "mask",
            "currency",
            "reported_balance",
            "reported_available",
            "reported_balance_at",
        ]
        read_only_fields = fields


class PlaidItemSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.name", default=None, read_only=True)
    accounts = PlaidAccountSerializer(many=True, read_only=True)

    class Meta:
        model = PlaidItem
        fields = [
            "id",
            "institution",
            "status",
            "error_code",
            "error_message",
            "last_synced_at",
            "last_sync_attempt_at",
            "consent_expires_at",
            "new_accounts_available",
            "accounts",
            "created_at",
        ]
        read_only_fields = fields


class PlaidConnectSerializer(serializers.Serializer):
    public_token = serializers.CharField(max_length=200, write_only=True)


class LinkTokenSerializer(serializers.Serializer):
    link_token = serializers.CharField(read_only=True)
