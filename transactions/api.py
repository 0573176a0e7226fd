"""DRF endpoints of money in (/api/v1/...): accounts, categories, transactions, rules, imports, export.

Reads go through the household-scoped base viewsets; writes call the same services as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from fincoach.api.base import HouseholdModelViewSet, HouseholdReadOnlyViewSet, HouseholdScopedViewSet
from transactions.forms import TransactionFilterForm
from transactions.models import Category, FinancialAccount, ImportBatch, Rule, Transaction
from transactions.selectors.accounts import accounts_with_balances
from transactions.selectors.categories import category_tree
from transactions.selectors.transactions import filter_transactions
from transactions.serializers import (
    AccountSerializer,
    BulkSerializer,
    CategorySerializer,
    ImportBatchSerializer,
    ImportUploadSerializer,
    RuleSerializer,
    SplitRequestSerializer,
    TransactionSerializer,
)
from transactions.services import accounts as account_service
from transactions.services import categories as category_service
from transactions.services import imports as import_service
from transactions.services import rules as rule_service
from transactions.services import splits as split_service
from transactions.services import transactions as transaction_service
from transactions.services.exporting import transactions_export_csv
from transactions.services.import_options import options_from_json


def _api_error(error: ValidationError) -> ApiValidationError:
    return ApiValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )


class AccountViewSet(HouseholdModelViewSet):
    """Accounts with their balances. Accounts are closed, not deleted (their history stays)."""

    lookup_value_converter = "int"
    queryset = FinancialAccount.objects.all()
    serializer_class = AccountSerializer
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def filter_scoped_queryset(self, queryset):
        return accounts_with_balances(household=self.request.household).filter(pk__in=queryset.values("pk"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        try:
            serializer.instance = account_service.account_create(household=self.request.household, **data)
        except ValidationError as error:
            raise _api_error(error) from None

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        institution_name = data.pop("institution_name", None)
        try:
            account_service.account_update(serializer.instance, institution_name=institution_name, **data)
        except ValidationError as error:
            raise _api_error(error) from None

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        account = account_service.account_close(self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=account.pk)).data)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        account = account_service.account_reopen(self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=account.pk)).data)


class CategoryViewSet(mixins.DestroyModelMixin, HouseholdScopedViewSet):
    """The household's categories: system ones (renamable, hideable) and its own sub-categories."""

    lookup_value_converter = "int"
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    pagination_class = None

    def list(self, request):
        tree = category_tree(household=request.household)
        return Response(CategorySerializer(tree.items, many=True).data)

    def retrieve(self, request, pk=None):
        category = self.get_object()
        view = category_tree(household=request.household).lookup[category.pk]
        return Response(CategorySerializer(view).data)

    def create(self, request):
        serializer = CategorySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parent_id = serializer.validated_data.get("parent_id")
        parent = self.get_queryset().filter(pk=parent_id).first() if parent_id else None
        if parent is None:
            raise ApiValidationError({"parent_id": "Give the primary category to add this sub-category under."})
        try:
            category = category_service.category_create(
                household=request.household, parent=parent, name=serializer.validated_data["name"]
            )
        except ValidationError as error:
            raise _api_error(error) from None
        view = category_tree(household=request.household).lookup[category.pk]
        return Response(CategorySerializer(view).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        category = self.get_object()
        serializer = CategorySerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            with db_transaction.atomic():
                if "name" in data:
                    category_service.category_rename(household=request.household, category=category, name=data["name"])
                if "is_hidden" in data:
                    category_service.category_set_hidden(
                        household=request.household, category=category, hidden=data["is_hidden"]
                    )
        except ValidationError as error:
            raise _api_error(error) from None
        return self.retrieve(request, pk)

    def perform_destroy(self, instance):
        try:
            category_service.category_delete(household=self.request.household, category=instance)
        except ValidationError as error:
            raise _api_error(error) from None


class TransactionViewSet(HouseholdModelViewSet):
    """Transactions, newest first. Filters: date_from, date_to, account, category, amount_min, amount_max, q,
    uncategorised, suggested, pending (1/0), batch, sort (-date, date, -amount, amount)."""

    lookup_value_converter = "int"
    queryset = Transaction.objects.all()
    serializer_class = TransactionSerializer

    def filter_scoped_queryset(self, queryset):
        queryset = queryset.select_related("account", "category").prefetch_related("tags", "splits")
        if self.action != "list" and self.action != "export":
            return queryset
        household = self.request.household
        tree = category_tree(household=household)
        form = TransactionFilterForm(
            self.request.query_params or None, accounts=FinancialAccount.objects.for_household(household), tree=tree
        )
        if form.is_bound and not form.is_valid():
            raise ApiValidationError(form.errors)
        category = form.cleaned_data.get("category") if form.is_bound else None
        filters = form.to_filters(category_ids=tree.ids_under(category) if category else ())
        sort = form.sort_order if form.is_bound else "-date"
        return filter_transactions(queryset, filters).order_by(sort, "-id" if sort.startswith("-") else "id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = transaction_service.transaction_create(
                household=self.request.household,
                account=data["account"],
                date=data["date"],
                amount=data["amount"],
                description=data["description"],
                merchant=data.get("merchant", ""),
                category=data.get("category"),
                notes=data.get("notes", ""),
                pending=data.get("pending", False),
                tags=data.get("tag_names", ()),
            )
        except ValidationError as error:
            raise _api_error(error) from None

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        if "tag_names" in changes:
            changes["tags"] = changes.pop("tag_names")
        try:
            transaction_service.transaction_update(serializer.instance, **changes)
        except ValidationError as error:
            raise _api_error(error) from None

    def perform_destroy(self, instance):
        transaction_service.transaction_delete(instance)

    def _fresh(self, pk):
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Accept a suggested category."""
        try:
            txn = transaction_service.transaction_confirm_category(self.get_object())
        except ValidationError as error:
            raise _api_error(error) from None
        return Response(self._fresh(txn.pk))

    @extend_schema(request=SplitRequestSerializer)
    @action(detail=True, methods=["post", "delete"])
    def split(self, request, pk=None):
        """POST {"parts": [{category, amount, notes}]} to split (parts sum to the amount); DELETE to unsplit."""
        txn = self.get_object()
        if request.method == "DELETE":
            split_service.transaction_unsplit(txn)
            return Response(self._fresh(txn.pk))
        serializer = SplitRequestSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        parts = [
            split_service.SplitPart(p["category"], p["amount"], p.get("notes", ""))
            for p in serializer.validated_data["parts"]
        ]
        try:
            split_service.transaction_split(txn, parts)
        except ValidationError as error:
            raise _api_error(error) from None
        return Response(self._fresh(txn.pk))

    @extend_schema(request=BulkSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """{"action": categorize|tag|exclude|include|delete, "ids": [...], "category": id, "tag": name}"""
        serializer = BulkSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data, household = serializer.validated_data, request.household
        try:
            if data["action"] == "categorize":
                count = transaction_service.transactions_bulk_categorize(household, data["ids"], data.get("category"))
            elif data["action"] == "tag":
                count = transaction_service.transactions_bulk_tag(household, data["ids"], data.get("tag", ""))
            elif data["action"] in ("exclude", "include"):
                count = transaction_service.transactions_bulk_set_excluded(
                    household, data["ids"], data["action"] == "exclude"
                )
            else:
                count = transaction_service.transactions_bulk_delete(household, data["ids"])
        except ValidationError as error:
            raise _api_error(error) from None
        return Response({"action": data["action"], "count": count})

    @action(detail=False, methods=["get"])
    def export(self, request):
        """The (filtered) transactions as fincoach CSV."""
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="fincoach-transactions-{timezone.localdate()}.csv"'
        transactions_export_csv(household=request.household, queryset=self.get_queryset(), stream=response)
        return response


class RuleViewSet(HouseholdModelViewSet):
    lookup_value_converter = "int"
    queryset = Rule.objects.select_related("add_tag").order_by("position", "id")
    serializer_class = RuleSerializer

    def _fields(self, serializer) -> tuple[dict, str | None]:
        data = dict(serializer.validated_data)
        return data, data.pop("add_tag_name", None)

    def perform_create(self, serializer):
        data, tag = self._fields(serializer)
        try:
            serializer.instance = rule_service.rule_create(
                household=self.request.household, add_tag_name=tag or "", **data
            )
        except ValidationError as error:
            raise _api_error(error) from None

    def perform_update(self, serializer):
        data, tag = self._fields(serializer)
        try:
            rule_service.rule_update(serializer.instance, add_tag_name=tag, **data)
        except ValidationError as error:
            raise _api_error(error) from None

    def perform_destroy(self, instance):
        rule_service.rule_delete(instance)

    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        """What applying the rule to past transactions would change."""
        preview = rule_service.rule_preview(self.get_object())
        return Response(
            {
                "total": preview.total,
                "changes": [
                    {
                        "transaction": txn.pk,
                        "category": effect.category_id,
                        "merchant": effect.merchant,
                        "tag": effect.tag_id,
                        "excluded": effect.excluded,
                    }
                    for txn, effect in preview.changes
                ],
            }
        )

    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        return Response({"changed": rule_service.rule_apply_to_past(self.get_object())})

    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """{"direction": "up" | "down"}"""
        rule_service.rule_move(self.get_object(), up=request.data.get("direction", "up") != "down")
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


class ImportViewSet(HouseholdReadOnlyViewSet):
    """Upload a bank file (multipart: file + account or account_name, optional options JSON); follow its status;
    undo it. Large files are imported in the background (status "pending"/"running" with progress)."""

    lookup_value_converter = "int"
    queryset = ImportBatch.objects.select_related("account").exclude(status=ImportBatch.Status.DRAFT)
    serializer_class = ImportBatchSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=ImportUploadSerializer, responses=ImportBatchSerializer)
    def create(self, request):
        serializer = ImportUploadSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data, household = serializer.validated_data, request.household
        upload = data["file"]
        options = options_from_json(data["options"]) if data.get("options") else None
        try:
            with db_transaction.atomic():
                account = (
                    data.get("account")
                    or account_service.account_get_or_create(household=household, name=data["account_name"])[0]
                )
                batch = import_service.import_upload(
                    household=household,
                    user=request.user,
                    account=account,
                    data=upload.read(),
                    filename=upload.name,
                )
                import_service.import_confirm(batch, options)
        except (ValidationError, TypeError) as error:
            raise (
                _api_error(error)
                if isinstance(error, ValidationError)
                else ApiValidationError({"options": f"Unknown import option: {error}"})
            ) from None
        batch.refresh_from_db()
        finished = batch.is_finished
        code = status.HTTP_201_CREATED if finished else status.HTTP_202_ACCEPTED
        if batch.status == ImportBatch.Status.FAILED:
            code = status.HTTP_400_BAD_REQUEST
        return Response(self.get_serializer(batch).data, status=code)

    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        batch = self.get_object()
        try:
            removed = import_service.import_undo(batch)
        except ValidationError as error:
            raise _api_error(error) from None
        batch.refresh_from_db()
        return Response({"removed": removed, **self.get_serializer(batch).data})
