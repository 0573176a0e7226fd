"""Loads Plaid's personal-finance-category taxonomy as system categories (idempotent)."""

from django.db import migrations


def load_categories(apps, schema_editor):
    from transactions.taxonomy import CATEGORIES

    Category = apps.get_model("transactions", "Category")
    by_code = {}
    for definition in CATEGORIES:
        parent = None if definition.is_primary else by_code[definition.primary]
        category, _ = Category.objects.update_or_create(
            household=None,
            code=definition.code,
            defaults={
                "name": definition.name,
                "parent": parent,
                "primary_code": definition.primary,
                "colour": definition.colour,
                "icon": definition.icon,
                "is_system": True,
            },
        )
        by_code[definition.code] = category


class Migration(migrations.Migration):
    dependencies = [("transactions", "0001_initial")]

    operations = [migrations.RunPython(load_categories, migrations.RunPython.noop)]
