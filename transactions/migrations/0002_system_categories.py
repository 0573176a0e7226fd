"""Loads Plaid's personal-finance-category taxonomy as system categories (idempotent)."""

from django.db import migrations


def load_categories(apps, schema_editor):
    from transactions.taxonomy import load_system_categories

    load_system_categories(apps.get_model("transactions", "Category"))


class Migration(migrations.Migration):
    dependencies = [("transactions", "0001_initial")]

    operations = [migrations.RunPython(load_categories, migrations.RunPython.noop)]
