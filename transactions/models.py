"""Money in: institutions, Plaid items, financial accounts, categories, transactions, rules, import batches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fincoach.crypto import EncryptedTextField
from fincoach.money import CurrencyField, MoneyField
from fincoach.scoping import HouseholdQuerySet, HouseholdScoped


class Institution(models.Model):
    """A bank. Shared by all households (no user data)."""

    name = models.CharField(max_length=120)
    plaid_institution_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlaidItem(HouseholdScoped):
    """One institution login linked through Plaid."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Connected"
        LOGIN_REQUIRED = "login_required", "Needs re-authentication"
        PENDING_EXPIRATION = "pending_expiration", "Consent expiring soon"
        PENDING_DISCONNECT = "pending_disconnect", "About to disconnect"
        REVOKED = "revoked", "Access revoked"
        ERROR = "error", "Error"
        DISCONNECTED = "disconnected", "Disconnected"

    institution = models.ForeignKey(Institution, on_delete=models.SET_NULL, null=True, blank=True)
    plaid_item_id = models.CharField(max_length=100, unique=True)
    access_token = EncryptedTextField(editable=False)
    cursor = models.TextField(blank=True, default="")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.ACTIVE)
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    consent_expires_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_sync_attempt_at = models.DateTimeField(null=True, blank=True)
    new_accounts_available = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.institution or 'Plaid item'} ({self.get_status_display()})"


class FinancialAccount(HouseholdScoped):
    class Kind(models.TextChoices):
        CHECKING = "checking", "Checking"
        SAVINGS = "savings", "Savings"
        CREDIT_CARD = "credit_card", "Credit card"
        LOAN = "loan", "Loan"
        INVESTMENT = "investment", "Investment"
        CASH = "cash", "Cash"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CHECKING)
    institution = models.ForeignKey(Institution, on_delete=models.SET_NULL, null=True, blank=True)
    mask = models.CharField(max_length=8, blank=True, help_text="Last digits of the account number")
    currency = CurrencyField()
    opening_balance = MoneyField(default=0)
    opening_date = models.DateField(null=True, blank=True)
    # What the bank last said the balance is (Plaid); when set it wins over opening + transactions.
    reported_balance = MoneyField(null=True, blank=True)
    reported_available = MoneyField(null=True, blank=True)
    reported_balance_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    closed_at = models.DateField(null=True, blank=True)
    plaid_item = models.ForeignKey(PlaidItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="accounts")
    plaid_account_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    import_options = models.JSONField(default=dict, blank=True, help_text="Remembered CSV mapping for imports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_active", "name"]
        constraints = [
            models.UniqueConstraint(fields=["household", "name"], name="account_name_unique_in_household"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_liability(self) -> bool:
        return self.kind in (self.Kind.CREDIT_CARD, self.Kind.LOAN)


class CategoryQuerySet(models.QuerySet):
    def for_household(self, household):
        """System categories plus the household's own."""
        if household is None or getattr(household, "pk", None) is None:
            return self.none()
        return self.filter(Q(household__isnull=True) | Q(household=household))


class Category(models.Model):
    """Plaid PFC system categories (household NULL) and households' own sub-categories."""

    household = models.ForeignKey(
        "accounts.Household", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.CharField(max_length=80, help_text="PFC code for system categories, slug for custom ones")
    name = models.CharField(max_length=80)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    primary_code = models.CharField(max_length=40, db_index=True)
    colour = models.CharField(max_length=9, default="#64748b")
    icon = models.CharField(max_length=8, blank=True)
    is_system = models.BooleanField(default=False)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["primary_code", "parent_id", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(household__isnull=True), name="system_category_code_unique"
            ),
            models.UniqueConstraint(fields=["household", "code"], name="household_category_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_primary(self) -> bool:
        return self.parent_id is None


class CategoryPreference(HouseholdScoped):
    """A household's rename or hiding of a system category."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="preferences")
    custom_name = models.CharField(max_length=80, blank=True)
    is_hidden = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "category"], name="one_preference_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.category} for {self.household}"


class Tag(HouseholdScoped):
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["household", "name"], name="tag_name_unique_in_household")]

    def __str__(self) -> str:
        return self.name


class ImportBatch(HouseholdScoped):
    class Status(models.TextChoices):
        DRAFT = "draft", "Awaiting review"
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"
        UNDONE = "undone", "Undone"

    account = models.ForeignKey(FinancialAccount, on_delete=models.CASCADE, related_name="import_batches")
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=8, blank=True)
    profile = models.CharField(max_length=40, blank=True)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{line, reason}] (the first ones)")
    error_count = models.PositiveIntegerField(default=0)
    net = MoneyField(default=0)
    first_date = models.DateField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)
    failure = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.filename} → {self.account}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.UNDONE)

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)


class ImportUpload(HouseholdScoped):
    """The uploaded file of an import batch, kept in the database between preview and import (and for a background
    worker on another machine); deleted once the batch has run."""

    batch = models.OneToOneField(ImportBatch, on_delete=models.CASCADE, related_name="upload")
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"upload of {self.batch}"


class TransactionQuerySet(HouseholdQuerySet):
    def spending(self):
        """Counts as spending: not excluded, not a linked transfer, not in a non-spending category."""
        return self.filter(excluded=False, transfer_pair__isnull=True).exclude(
            category__primary_code__in=("INCOME", "TRANSFER_IN", "TRANSFER_OUT")
        )


class Transaction(HouseholdScoped):
    class CategorySource(models.TextChoices):
        USER = "user", "You"
        RULE = "rule", "Rule"
        LEARNED = "learned", "Learned from you"
        BANK = "bank", "Bank"
        MODEL = "model", "Categoriser"
        IMPORT = "import", "Import file"

    # Plain FK columns without their own index: the composite indexes below lead with them (an import writes
    # every index once per row, so redundant ones cost seconds per 100,000 rows). No database constraint on the
    # household either: the account (constrained) belongs to it, every write goes through our services, and Django
    # cascades the deletes; the check would cost a lookup per imported row at commit.
    household = models.ForeignKey(
        "accounts.Household", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    account = models.ForeignKey(FinancialAccount, on_delete=models.CASCADE, related_name="transactions", db_index=False)
    date = models.DateField()
    authorized_date = models.DateField(null=True, blank=True)
    amount = MoneyField(help_text="Negative when money leaves the account")
    currency = CurrencyField()
    description = models.CharField(max_length=500, help_text="As the bank wrote it")
    merchant = models.CharField(max_length=200, blank=True, help_text="Normalised merchant name")
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    category_source = models.CharField(max_length=8, choices=CategorySource.choices, blank=True)
    category_confidence = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    category_suggested = models.BooleanField(
        default=False, help_text="Applied with medium confidence: awaiting one-click confirmation"
    )
    pending = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="transactions")
    excluded = models.BooleanField(default=False, help_text="Left out of spending, budgets and insights")
    # One-to-one (the constraint below): a plain FK so the many rows without a pair stay out of the unique index.
    transfer_pair = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    external_id = models.CharField(max_length=120, null=True, blank=True, help_text="Bank id or OFX FITID")
    plaid_transaction_id = models.CharField(max_length=100, null=True, blank=True)
    plaid_category = models.CharField(max_length=80, blank=True)
    fingerprint = models.CharField(max_length=32, blank=True)
    occurrence = models.PositiveSmallIntegerField(default=1)
    # Bookkeeping for undo, not money: Django sets it to NULL when a batch goes, no per-row check at commit.
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="transactions", db_constraint=False
    )
    user_edited = models.JSONField(default=list, blank=True, help_text="Fields the user changed by hand")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(TransactionQuerySet)()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["household", "-date", "-id"], name="txn_household_date"),
            models.Index(fields=["account", "-date"], name="txn_account_date"),
            # Category first: it also serves the category foreign key (a deleted category's transactions).
            models.Index(fields=["category", "household", "-date"], name="txn_category_household_date"),
            models.Index(fields=["household", "-amount", "-id"], name="txn_household_amount"),  # sort by amount
            models.Index(
                fields=["household", "-date", "-id"],
                condition=Q(category__isnull=True),
                name="txn_household_uncategorised",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "fingerprint", "occurrence"],
                condition=~Q(fingerprint=""),
                name="txn_fingerprint_unique_in_account",
            ),
            models.UniqueConstraint(
                fields=["account", "external_id"],
                condition=Q(external_id__isnull=False),
                name="txn_external_id_unique_in_account",
            ),
            # Unique like `unique=True`, but rows without a Plaid id (imports, manual) stay out of the index.
            models.UniqueConstraint(
                fields=["plaid_transaction_id"],
                condition=Q(plaid_transaction_id__isnull=False),
                name="txn_plaid_transaction_id_unique",
            ),
            models.UniqueConstraint(
                fields=["transfer_pair"], condition=Q(transfer_pair__isnull=False), name="txn_transfer_pair_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.description} {self.amount}"


class TransactionSplit(HouseholdScoped):
    transaction = models.ForeignKey(Transaction, on_delete=models.CASCADE, related_name="splits")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    amount = MoneyField()
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.amount} of {self.transaction_id} to {self.category}"


class Rule(HouseholdScoped):
    class Field(models.TextChoices):
        DESCRIPTION = "description", "Description"
        MERCHANT = "merchant", "Merchant"

    class Match(models.TextChoices):
        CONTAINS = "contains", "contains"
        EQUALS = "equals", "equals"
        STARTS_WITH = "starts_with", "starts with"
        REGEX = "regex", "matches the pattern"

    name = models.CharField(max_length=120, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Rules run in this order; the first match wins")
    is_active = models.BooleanField(default=True)
    match_field = models.CharField(max_length=12, choices=Field.choices, default=Field.MERCHANT)
    match_type = models.CharField(max_length=12, choices=Match.choices, default=Match.CONTAINS)
    match_value = models.CharField(max_length=200)
    amount_min = MoneyField(null=True, blank=True)
    amount_max = MoneyField(null=True, blank=True)
    account = models.ForeignKey(FinancialAccount, on_delete=models.CASCADE, null=True, blank=True)
    set_category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    set_merchant = models.CharField(max_length=200, blank=True)
    add_tag = models.ForeignKey(Tag, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    mark_transfer = models.BooleanField(default=False)
    mark_excluded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name or f"{self.get_match_field_display()} {self.get_match_type_display()} {self.match_value!r}"
