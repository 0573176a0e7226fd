"""Every URL that takes an object id answers 404 to a member of another household — GET, and POST for
write-only URLs. URLs are discovered, so every later feature is covered without registering anything."""

from __future__ import annotations

import re

import pytest

from fincoach.testing.isolation import make_in_household, model_for_kwarg, object_urls

pytestmark = pytest.mark.django_db


def test_discovery_finds_object_urls():
    urls = object_urls()
    assert any(u.name == "notification_read" for u in urls), "the notification URLs should be discovered"


@pytest.mark.parametrize("url", object_urls(), ids=lambda u: u.route)
def test_other_households_objects_are_404(url, client, member, other_member, other_household):
    kwargs = {}
    for kwarg in url.kwargs:
        model = model_for_kwarg(kwarg, url.callback)
        assert model is not None, f"{url.route}: cannot tell which model `{kwarg}` names; use <model>_id"
        kwargs[kwarg] = make_in_household(model, other_household, other_member).pk
    path = _build_path(url.route, kwargs)
    client.force_login(member)
    for method in ("get", "post", "delete"):
        response = getattr(client, method)(path)
        if response.status_code == 405:
            continue
        assert response.status_code == 404, f"{method.upper()} {path} → {response.status_code}, expected 404"


def _build_path(route: str, kwargs: dict) -> str:
    path = route
    for name, value in kwargs.items():
        path = re.sub(rf"\(\?P<{name}>[^)]*\)", str(value), path)
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    assert "<" not in path and "(?P" not in path, f"unfilled parameter in {route}"
    return "/" + path
