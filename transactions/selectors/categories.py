"""Categories as a household sees them: system categories with its renames and hidden ones, plus its own."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet

from transactions.models import Category, CategoryPreference


@dataclass(frozen=True)
class CategoryView:
    """A category with the household's own name and visibility applied."""

    id: int
    code: str
    name: str
    default_name: str
    primary_code: str
    parent_id: int | None
    colour: str
    icon: str
    is_hidden: bool
    is_custom: bool

    @property
    def is_primary(self) -> bool:
        return self.parent_id is None


@dataclass(frozen=True)
class CategoryTree:
    """All of a household's categories in display order (each primary followed by its sub-categories)."""

    items: tuple[CategoryView, ...]

    @cached_property
    def lookup(self) -> dict[int, CategoryView]:
        return {item.id: item for item in self.items}

    def by_id(self) -> dict[int, CategoryView]:
        return self.lookup

    def ids_under(self, category_id: int) -> tuple[int, ...]:
        """The category and, for a primary, its sub-categories (what filtering by it includes)."""
        item = self.lookup.get(category_id)
        if item is None:
            return ()
        if not item.is_primary:
            return (item.id,)
        return (item.id, *(c.id for c in self.items if c.parent_id == item.id))

    def visible(self) -> list[CategoryView]:
        hidden_primaries = {item.id for item in self.items if item.is_primary and item.is_hidden}
        return [item for item in self.items if not item.is_hidden and item.parent_id not in hidden_primaries]

    def label(self, category_id: int | None) -> str:
        """`Primary › Sub-category` for a sub-category, the name alone for a primary, "" for none."""
        if category_id is None:
            return ""
        lookup = self.lookup
        item = lookup.get(category_id)
        if item is None:
            return ""
        parent = lookup.get(item.parent_id) if item.parent_id else None
        return f"{parent.name} › {item.name}" if parent else item.name


def household_categories(*, household) -> QuerySet[Category]:
    return Category.objects.for_household(household)


def category_tree(*, household) -> CategoryTree:
    """Two queries: the categories and the household's preferences."""
    preferences = {
        p.category_id: p
        for p in CategoryPreference.objects.for_household(household).only("category_id", "custom_name", "is_hidden")
    }
    categories = list(household_categories(household=household).order_by("primary_code", "parent_id", "name"))
    views: list[CategoryView] = []
    for category in categories:
        preference = preferences.get(category.pk)
        views.append(
            CategoryView(
                id=category.pk,
                code=category.code,
                name=(preference.custom_name if preference and preference.custom_name else category.name),
                default_name=category.name,
                primary_code=category.primary_code,
                parent_id=category.parent_id,
                colour=category.colour,
                icon=category.icon,
                is_hidden=bool(preference and preference.is_hidden),
                is_custom=not category.is_system,
            )
        )
    primaries = [v for v in views if v.is_primary]
    children: dict[int, list[CategoryView]] = {}
    for view in views:
        if view.parent_id is not None:
            children.setdefault(view.parent_id, []).append(view)
    ordered: list[CategoryView] = []
    for primary in sorted(primaries, key=lambda v: v.name.casefold()):
        ordered.append(primary)
        ordered.extend(sorted(children.get(primary.id, []), key=lambda v: (v.is_custom, v.name.casefold())))
    return CategoryTree(tuple(ordered))


def category_by_code(*, household, code: str) -> Category | None:
    """A system category by PFC code, or one of the household's own by its slug."""
    return household_categories(household=household).filter(code=code).first()
