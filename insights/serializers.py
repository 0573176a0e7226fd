"""API representations of the coach's data (read-only; writes go through the services)."""

from __future__ import annotations

from rest_framework import serializers

from .models import Insight


class InsightSerializer(serializers.ModelSerializer):
    class Meta:
        model = Insight
        fields = [
            "id",
            "kind",
            "priority",
            "sentiment",
            "is_alert",
            "title",
            "message",
            "data",
            "action_url",
            "action_label",
            "wording",
            "created_at",
            "expires_at",
            "read_at",
            "dismissed_at",
            "acted_at",
            "helpful",
        ]
        read_only_fields = fields


class FeedbackSerializer(serializers.Serializer):
    helpful = serializers.BooleanField()


class QuestionSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=500, trim_whitespace=True)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(source="text")
    engine = serializers.CharField()
    intent = serializers.CharField()
    facts = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    tools_used = serializers.ListField(child=serializers.CharField())
    disclaimer = serializers.CharField()
