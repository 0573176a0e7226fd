"""Discovery for the cross-household test: every URL pattern that takes an object id, and how to make such an
object in another household.

Conventions the discovery relies on (and the test enforces): an id kwarg is named `<model_name>_id` (e.g.
`transaction_id`, `goal_id`) or, for DRF routers, `pk` on a viewset whose queryset names the model. Factories live
in `<app>/tests/factories.py` (or `<app>/tests/<topic>_factories.py`); one whose `_meta.model` is the model makes
the object. For models without a `household` field, the factory must accept a `household=` argument or be scoped
through a `user=` argument.
"""

from __future__ import annotations

import inspect
import pkgutil
from dataclasses import dataclass
from importlib import import_module

import factory
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

# URL kwargs that are not household object ids (tokens, keys, slugs of public things).
NON_OBJECT_KWARGS = {"key", "token", "uidb36", "uidb64", "format", "provider_id", "url_name"}
# URL prefixes that are not household data (Django/allauth/admin/API docs).
IGNORED_PREFIXES = ("admin/", "accounts/", "api/v1/schema", "static/")


@dataclass
class ObjectUrl:
    route: str
    name: str | None
    kwargs: list[str]
    callback: object


def _walk(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p


def object_urls() -> list[ObjectUrl]:
    found = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(IGNORED_PREFIXES) or route.lstrip("^").startswith(IGNORED_PREFIXES):
            continue
        names = list(pattern.pattern.regex.groupindex)
        kwargs = [k for k in names if k not in NON_OBJECT_KWARGS]
        if kwargs and "format" not in names:  # DRF's format-suffix twins repeat the plain routes
            found.append(ObjectUrl(route, pattern.name, kwargs, pattern.callback))
    return found


def model_for_kwarg(kwarg: str, callback) -> type | None:
    if kwarg == "pk":
        view_cls = getattr(callback, "cls", None)
        queryset = getattr(view_cls, "queryset", None)
        if queryset is not None:
            return queryset.model
        return getattr(view_cls, "model", None)
    if kwarg.endswith("_id"):
        model_name = kwarg[: -len("_id")].replace("_", "")
        for model in apps.get_models():
            if model._meta.model_name == model_name:
                return model
    return None


def _factory_modules():
    """Every app's `tests/factories.py`, and `tests/<topic>_factories.py` for apps that split them."""
    for config in apps.get_app_configs():
        try:
            tests = import_module(f"{config.name}.tests")
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(getattr(tests, "__path__", [])):
            if info.name == "factories" or info.name.endswith("_factories"):
                yield import_module(f"{config.name}.tests.{info.name}")


def factory_for(model) -> type[factory.django.DjangoModelFactory] | None:
    for module in _factory_modules():
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, factory.django.DjangoModelFactory) and obj._meta.model is model:
                return obj
    return None


def make_in_household(model, household, user):
    """An instance of `model` belonging to `household` (owned by `user` where the model is per-person)."""
    factory_cls = factory_for(model)
    if factory_cls is None:
        raise LookupError(f"no factory for {model.__name__} in any <app>/tests/factories.py")
    field_names = {f.name for f in model._meta.get_fields()}
    kwargs = {}
    if "household" in field_names:
        kwargs["household"] = household
    if "user" in field_names:
        kwargs["user"] = user
    return factory_cls(**kwargs)
