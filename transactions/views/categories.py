"""Categories page: rename or hide system categories, add and delete the household's own sub-categories."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.views.decorators.http import require_POST

from fincoach.htmx import render_page
from fincoach.scoping import get_scoped_or_404
from transactions.forms import CategoryCreateForm, CategoryRenameForm
from transactions.models import Category
from transactions.selectors.categories import category_tree
from transactions.services import categories as service

from .common import error_text, redirect_to


def _category(request, category_id: int) -> Category:
    # System categories (no household) and the household's own; another household's is a 404.
    return get_scoped_or_404(Category, request.household, pk=category_id)


@login_required
def category_list(request):
    tree = category_tree(household=request.household)
    primaries = [
        (primary, [c for c in tree.items if c.parent_id == primary.id]) for primary in tree.items if primary.is_primary
    ]
    form = CategoryCreateForm(tree=tree)
    return render_page(request, "transactions/category_list.html", {"primaries": primaries, "form": form})


def _back(request):
    return redirect_to(request, reverse("transactions:category_list"))


@login_required
@require_POST
def category_create(request):
    tree = category_tree(household=request.household)
    form = CategoryCreateForm(request.POST, tree=tree)
    if form.is_valid():
        try:
            parent = _category(request, form.cleaned_data["parent"])
            category = service.category_create(
                household=request.household, parent=parent, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, f"Category “{category.name}” added under {parent.name}.")
    else:
        messages.error(request, "Choose a parent category and a name.")
    return _back(request)


@login_required
@require_POST
def category_rename(request, category_id: int):
    category = _category(request, category_id)
    form = CategoryRenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the category a name.")
        return _back(request)
    try:
        service.category_rename(household=request.household, category=category, name=form.cleaned_data["name"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Renamed to “{form.cleaned_data['name']}”.")
    return _back(request)


@login_required
@require_POST
def category_hide(request, category_id: int):
    category = _category(request, category_id)
    hidden = request.POST.get("hidden", "1") == "1"
    service.category_set_hidden(household=request.household, category=category, hidden=hidden)
    return _back(request)


@login_required
@require_POST
def category_delete(request, category_id: int):
    category = _category(request, category_id)
    try:
        moved = service.category_delete(household=request.household, category=category)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, f"Category deleted; {moved} transaction{'s' if moved != 1 else ''} moved to its parent."
        )
    return _back(request)
