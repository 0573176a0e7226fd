from django.urls import path

from .views import accounts, categories, imports, rules, transactions

app_name = "transactions"

urlpatterns = [
    path("", transactions.transaction_list, name="index"),
    path("new/", transactions.transaction_create, name="transaction_create"),
    path("bulk/", transactions.transaction_bulk, name="transaction_bulk"),
    path("export.csv", transactions.transaction_export, name="transaction_export"),
    path("<int:transaction_id>/row/", transactions.transaction_row, name="transaction_row"),
    path("<int:transaction_id>/edit/", transactions.transaction_edit, name="transaction_edit"),
    path("<int:transaction_id>/delete/", transactions.transaction_delete, name="transaction_delete"),
    path("<int:transaction_id>/category/", transactions.transaction_category, name="transaction_category"),
    path("<int:transaction_id>/confirm/", transactions.transaction_confirm, name="transaction_confirm"),
    path("<int:transaction_id>/always/", transactions.transaction_always, name="transaction_always"),
    path("<int:transaction_id>/splits/", transactions.transaction_splits, name="transaction_splits"),
    path("<int:transaction_id>/unlink/", transactions.transaction_unlink, name="transaction_unlink"),
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:financialaccount_id>/edit/", accounts.account_edit, name="account_edit"),
    path("accounts/<int:financialaccount_id>/close/", accounts.account_close, name="account_close"),
    path("accounts/<int:financialaccount_id>/reopen/", accounts.account_reopen, name="account_reopen"),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/<int:importbatch_id>/", imports.import_detail, name="import_detail"),
    path("imports/<int:importbatch_id>/preview/", imports.import_preview, name="import_preview"),
    path("imports/<int:importbatch_id>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:importbatch_id>/progress/", imports.import_progress, name="import_progress"),
    path("imports/<int:importbatch_id>/undo/", imports.import_undo, name="import_undo"),
    path("imports/<int:importbatch_id>/cancel/", imports.import_cancel, name="import_cancel"),
    path("rules/", rules.rule_list, name="rule_list"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/<int:rule_id>/edit/", rules.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/delete/", rules.rule_delete, name="rule_delete"),
    path("rules/<int:rule_id>/move/", rules.rule_move, name="rule_move"),
    path("rules/<int:rule_id>/preview/", rules.rule_preview, name="rule_preview"),
    path("rules/<int:rule_id>/apply/", rules.rule_apply, name="rule_apply"),
    path("categories/", categories.category_list, name="category_list"),
    path("categories/new/", categories.category_create, name="category_create"),
    path("categories/<int:category_id>/rename/", categories.category_rename, name="category_rename"),
    path("categories/<int:category_id>/hide/", categories.category_hide, name="category_hide"),
    path("categories/<int:category_id>/delete/", categories.category_delete, name="category_delete"),
]
