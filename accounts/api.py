"""/api/v1/me/ and /api/v1/me/preferences/: the signed-in person (session or API token)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import membership_for_user, preferences_for_user
from .serializers import MeSerializer, MeUpdateSerializer, PreferencesSerializer
from .services import preferences_update, profile_update


def _me(request: Request) -> dict:
    context = {"request": request, "membership": membership_for_user(request.user)}
    return MeSerializer(request.user, context=context).data


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in person and their household")
    def get(self, request: Request) -> Response:
        return Response(_me(request))

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer, summary="Change your display name")
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile_update(user=request.user, **serializer.validated_data)
        return Response(_me(request))


class PreferencesView(APIView):
    @extend_schema(responses=PreferencesSerializer, summary="Your preferences")
    def get(self, request: Request) -> Response:
        return Response(PreferencesSerializer(preferences_for_user(request.user)).data)

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer, summary="Change some preferences")
    def patch(self, request: Request) -> Response:
        serializer = PreferencesSerializer(preferences_for_user(request.user), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        preferences = preferences_update(user=request.user, **serializer.validated_data)
        return Response(PreferencesSerializer(preferences).data)
