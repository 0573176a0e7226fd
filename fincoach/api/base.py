"""Household-scoped DRF base classes (PostHog's `safely_get_queryset` pattern).

Subclasses implement `safely_get_queryset(queryset)`-free scoping: they declare `queryset`/`model` and the base
class filters it by `request.household` in `get_queryset`, which is final — overriding it raises at class creation,
so a subclass cannot unscope by accident. Extra filtering goes in `filter_scoped_queryset`.
"""

from __future__ import annotations

from rest_framework import mixins, viewsets


class _ScopedMeta(type(viewsets.GenericViewSet)):
    def __new__(mcs, name, bases, attrs):
        if "get_queryset" in attrs and not attrs.get("_scoping_base", False):
            raise TypeError(
                f"{name} overrides get_queryset(); override filter_scoped_queryset() instead so the household "
                "filter cannot be dropped"
            )
        return super().__new__(mcs, name, bases, attrs)


class HouseholdScopedViewSet(viewsets.GenericViewSet, metaclass=_ScopedMeta):
    _scoping_base = True

    def get_queryset(self):
        household = getattr(self.request, "household", None)
        base = self.queryset if self.queryset is not None else self.get_base_queryset()
        return self.filter_scoped_queryset(base.all().for_household(household))

    def get_base_queryset(self):
        raise NotImplementedError("set `queryset` or implement get_base_queryset()")

    def filter_scoped_queryset(self, queryset):
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["household"] = getattr(self.request, "household", None)
        return context


class HouseholdModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    HouseholdScopedViewSet,
):
    """CRUD viewset; writes go through `perform_create`/`perform_update` which subclasses route to services."""

    _scoping_base = True


class HouseholdReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, HouseholdScopedViewSet):
    _scoping_base = True
