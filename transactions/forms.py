"""Forms of the money-in pages: they validate input; the services decide."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django import forms
from django.conf import settings

from fincoach.money import COMMON_CURRENCIES
from transactions.importing import SIGN_CONVENTIONS, Detection, ImportOptions
from transactions.importing.dates import KNOWN_FORMATS, describe_format
from transactions.models import FinancialAccount, Rule
from transactions.selectors.categories import CategoryTree
from transactions.selectors.transactions import SORTS, TransactionFilters

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
MONEY_INPUT = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})


def category_choices(tree: CategoryTree, *, empty: str | None = "— Uncategorised —") -> list:
    """Visible categories grouped under their primary (the primary itself is the first option of its group)."""
    visible = tree.visible()
    groups: list = [("", empty)] if empty is not None else []
    for primary in (c for c in visible if c.is_primary):
        options = [(primary.id, f"{primary.name} (general)")]
        options += [(c.id, c.name) for c in visible if c.parent_id == primary.id]
        groups.append((f"{primary.icon} {primary.name}".strip(), options))
    return groups


def account_choices(accounts, *, empty: str | None = None) -> list:
    choices = [("", empty)] if empty is not None else []
    return choices + [(a.pk, a.name if a.is_active else f"{a.name} (closed)") for a in accounts]


class CategoryField(forms.TypedChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


# --- accounts -----------------------------------------------------------------------------------------------------


class AccountForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(label="Type", choices=FinancialAccount.Kind.choices)
    institution_name = forms.CharField(label="Bank", max_length=120, required=False)
    mask = forms.CharField(label="Last digits", max_length=8, required=False)
    currency = forms.ChoiceField(choices=[(c, c) for c in COMMON_CURRENCIES], initial="USD")
    opening_balance = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        initial=Decimal("0"),
        widget=MONEY_INPUT,
        help_text="The balance before the first transaction you bring in.",
    )
    opening_date = forms.DateField(
        required=False, widget=DATE_INPUT, help_text="Transactions before this date do not change the balance."
    )


# --- transactions -------------------------------------------------------------------------------------------------


class TransactionFilterForm(forms.Form):
    date_from = forms.DateField(label="From", required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label="To", required=False, widget=DATE_INPUT)
    account = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    category = CategoryField(required=False)
    amount_min = forms.DecimalField(
        label="Amount from", required=False, max_digits=14, decimal_places=2, widget=MONEY_INPUT
    )
    amount_max = forms.DecimalField(
        label="Amount to", required=False, max_digits=14, decimal_places=2, widget=MONEY_INPUT
    )
    q = forms.CharField(label="Search", required=False, max_length=100)
    uncategorised = forms.BooleanField(label="Uncategorised only", required=False)
    suggested = forms.BooleanField(label="Suggestions to confirm", required=False)
    pending = forms.TypedChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), ("1", "Pending"), ("0", "Posted")],
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("-date", "Newest first"),
            ("date", "Oldest first"),
            ("amount", "Largest money out"),
            ("-amount", "Largest money in"),
        ],
    )
    batch = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, accounts=(), tree: CategoryTree | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = account_choices(accounts, empty="All accounts")
        self.fields["category"].choices = category_choices(tree, empty="All categories") if tree else []

    def to_filters(self, *, category_ids: tuple[int, ...] = ()) -> TransactionFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return TransactionFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            account_ids=(data["account"],) if data.get("account") else (),
            category_ids=category_ids,
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            text=(data.get("q") or "").strip(),
            uncategorised=bool(data.get("uncategorised")),
            suggested=bool(data.get("suggested")),
            pending=data.get("pending"),
            import_batch_id=data.get("batch"),
        )

    @property
    def sort_order(self) -> str:
        value = self.cleaned_data.get("sort") if self.is_valid() else None
        return value if value in SORTS else "-date"


class TransactionForm(forms.Form):
    account = forms.TypedChoiceField(coerce=int)
    date = forms.DateField(widget=DATE_INPUT)
    amount = forms.DecimalField(
        max_digits=14, decimal_places=2, widget=MONEY_INPUT, help_text="Negative when money leaves the account."
    )
    description = forms.CharField(max_length=500)
    merchant = forms.CharField(
        max_length=200, required=False, help_text="Leave empty to derive it from the description."
    )
    category = CategoryField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    tags = forms.CharField(required=False, help_text="Comma-separated.")
    pending = forms.BooleanField(required=False)
    excluded = forms.BooleanField(label="Leave out of spending and budgets", required=False)

    def __init__(self, *args, accounts=(), tree: CategoryTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = account_choices(accounts)
        self.fields["category"].choices = category_choices(tree)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError("A transaction moves money: the amount cannot be zero.")
        return amount

    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]


class SplitPartForm(forms.Form):
    category = CategoryField(required=False)
    amount = forms.DecimalField(max_digits=14, decimal_places=2, required=False, widget=MONEY_INPUT)
    notes = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, tree: CategoryTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(tree, empty="—")

    def clean(self):
        data = super().clean()
        if data.get("amount") is not None and data.get("category") is None:
            self.add_error("category", "Choose a category for this part.")
        return data


SplitFormSet = forms.formset_factory(SplitPartForm, extra=0, min_num=2, max_num=20, validate_max=True)


class CategoryPickForm(forms.Form):
    """The inline category picker of one row."""

    category = CategoryField(required=False, widget=forms.Select(attrs={"autofocus": True}))

    def __init__(self, *args, tree: CategoryTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(tree)


class BulkActionForm(forms.Form):
    """The bulk bar above the list; its fields are prefixed so they never clash with the filters posted with them."""

    ACTIONS = [
        ("categorize", "Set category"),
        ("tag", "Add tag"),
        ("exclude", "Exclude from spending"),
        ("include", "Include in spending"),
        ("delete", "Delete"),
    ]
    bulk_action = forms.ChoiceField(label="Action for the selected transactions", choices=ACTIONS)
    ids = forms.TypedMultipleChoiceField(coerce=int, error_messages={"required": "Select some transactions first."})
    bulk_category = CategoryField(label="Category", required=False)
    bulk_tag = forms.CharField(label="Tag", max_length=40, required=False)

    def __init__(self, *args, tree: CategoryTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bulk_category"].choices = category_choices(tree)
        selected = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(value, value) for value in selected]

    def clean(self):
        data = super().clean()
        if data.get("bulk_action") == "tag" and not (data.get("bulk_tag") or "").strip():
            self.add_error("bulk_tag", "Name the tag to add.")
        return data


# --- rules --------------------------------------------------------------------------------------------------------


class RuleForm(forms.Form):
    name = forms.CharField(max_length=120, required=False)
    match_field = forms.ChoiceField(label="When the", choices=Rule.Field.choices)
    match_type = forms.ChoiceField(label="", choices=Rule.Match.choices)
    match_value = forms.CharField(label="", max_length=200)
    amount_min = forms.DecimalField(
        label="Amount from",
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=MONEY_INPUT,
        help_text="Signed: money out is negative (e.g. -100 to -20).",
    )
    amount_max = forms.DecimalField(
        label="Amount to", required=False, max_digits=14, decimal_places=2, widget=MONEY_INPUT
    )
    account = forms.TypedChoiceField(label="Only in account", required=False, coerce=int, empty_value=None)
    set_category = CategoryField(label="Set category", required=False)
    set_merchant = forms.CharField(label="Rename merchant to", max_length=200, required=False)
    add_tag_name = forms.CharField(label="Add tag", max_length=40, required=False)
    mark_transfer = forms.BooleanField(label="Mark as a transfer", required=False)
    mark_excluded = forms.BooleanField(label="Exclude from spending", required=False)
    is_active = forms.BooleanField(label="Active", required=False, initial=True)

    def __init__(self, *args, accounts=(), tree: CategoryTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = account_choices(accounts, empty="Any account")
        self.fields["set_category"].choices = category_choices(tree, empty="— Leave as is —")


# --- categories ---------------------------------------------------------------------------------------------------


class CategoryCreateForm(forms.Form):
    parent = forms.TypedChoiceField(label="Under", coerce=int)
    name = forms.CharField(max_length=80)

    def __init__(self, *args, tree: CategoryTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [(c.id, c.name) for c in tree.items if c.is_primary]


class CategoryRenameForm(forms.Form):
    name = forms.CharField(max_length=80)


# --- import -------------------------------------------------------------------------------------------------------


NEW_ACCOUNT = "new"


class UploadForm(forms.Form):
    file = forms.FileField(help_text="CSV, OFX/QFX or QIF exported by your bank.")
    account = forms.ChoiceField(label="Into account")
    new_account_name = forms.CharField(label="New account name", max_length=120, required=False)

    def __init__(self, *args, accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [
            *account_choices([a for a in accounts if a.is_active]),
            (NEW_ACCOUNT, "➕ A new account…"),
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1e6:.1f} MB; the limit is {settings.IMPORT_MAX_BYTES / 1e6:.0f} MB. "
                "Export a shorter date range."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload

    def clean(self):
        data = super().clean()
        if data.get("account") == NEW_ACCOUNT and not (data.get("new_account_name") or "").strip():
            self.add_error("new_account_name", "Name the new account.")
        return data


MAPPED_ROLES = (
    "date",
    "description",
    "payee",
    "amount",
    "debit",
    "credit",
    "direction",
    "currency",
    "external_id",
    "authorized_date",
    "status",
)
ROLE_LABELS = {
    "date": "Date",
    "description": "Description",
    "payee": "Payee (joined to the description)",
    "amount": "Amount",
    "debit": "Money out column",
    "credit": "Money in column",
    "direction": "Debit/credit indicator",
    "currency": "Currency",
    "external_id": "Bank's transaction id",
    "authorized_date": "Transaction date (if different)",
    "status": "Status (pending, declined…)",
}
SIGN_LABELS = {
    "signed": "Signed amounts (negative = money out)",
    "inverted": "Charges are positive (Amex, Discover…)",
    "debit_credit": "Separate money out / money in columns",
    "direction": "Amount plus a debit/credit column",
}


class MappingForm(forms.Form):
    """The import settings the user may change in the preview: columns, date format, sign, decimal comma."""

    date_format = forms.ChoiceField(required=False)
    sign = forms.ChoiceField(label="Amounts", required=False, choices=[(k, SIGN_LABELS[k]) for k in SIGN_CONVENTIONS])
    decimal_comma = forms.BooleanField(label="Decimal comma (1.234,56)", required=False)

    def __init__(self, *args, detection: Detection, **kwargs):
        super().__init__(*args, **kwargs)
        self.detection = detection
        self.is_csv = detection.format == "csv"
        formats = [k.fmt for k in KNOWN_FORMATS]
        if detection.date_format and detection.date_format not in formats:
            formats.insert(0, detection.date_format)
        self.fields["date_format"].choices = [(f, f"{describe_format(f)}  ({f})") for f in formats]
        if not self.is_csv:
            del self.fields["sign"], self.fields["decimal_comma"]
            return
        header = detection.header
        column_choices = [("", "— not in this file —")] + [
            (str(i), f"{name or f'column {i + 1}'}") for i, name in enumerate(header)
        ]
        for role in MAPPED_ROLES:
            self.fields[f"col_{role}"] = forms.ChoiceField(
                label=ROLE_LABELS[role], choices=column_choices, required=False
            )
        self.role_fields = [self[f"col_{role}"] for role in MAPPED_ROLES]

    @classmethod
    def initial_from(cls, detection: Detection) -> dict:
        initial = {
            "date_format": detection.date_format or "",
            "sign": detection.sign or "signed",
            "decimal_comma": bool(detection.decimal_comma),
        }
        header = list(detection.header)
        for role, spec in detection.columns.items():
            first = spec[0] if isinstance(spec, tuple | list) and spec else spec
            index = first if isinstance(first, int) else (header.index(first) if first in header else None)
            if index is not None:
                initial[f"col_{role}"] = str(index)
        return initial

    def to_options(self, base: ImportOptions) -> ImportOptions:
        """The detected options with the user's choices applied (columns by position, like the preview shows)."""
        data = self.cleaned_data
        options = dataclasses.replace(base)
        if data.get("date_format"):
            options.date_format = data["date_format"]
        if not self.is_csv:
            return options
        columns = {}
        for role in MAPPED_ROLES:
            value = data.get(f"col_{role}")
            if value not in (None, ""):
                columns[role] = int(value)
        options.columns = columns
        options.sign = data.get("sign") or options.sign
        options.decimal_comma = bool(data.get("decimal_comma"))
        return options
