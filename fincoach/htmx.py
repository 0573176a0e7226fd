"""One URL serves a page and its fragment: HTMX requests get the partial, others the full page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(
    request: HttpRequest, template: str, context: dict, partial: str | None = None, status: int = 200
) -> HttpResponse:
    """Render `partial` for HTMX requests (unless the request targets the whole page), else `template`."""
    is_fragment = bool(getattr(request, "htmx", False)) and not getattr(request.htmx, "boosted", False)
    response = render(request, partial if (partial and is_fragment) else template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response
