"""The import flow: upload → preview with the detected mapping (changeable) → import → progress → summary → undo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fincoach.htmx import render_page
from transactions.forms import NEW_ACCOUNT, MappingForm, UploadForm
from transactions.models import FinancialAccount, ImportBatch
from transactions.services import imports as service
from transactions.services.accounts import account_create
from transactions.services.import_options import options_from_json

from .common import apply_service_errors, error_text, redirect_to

Status = ImportBatch.Status
RECENT_BATCHES = 20
# HTMX stops polling when a response has this status.
STOP_POLLING = 286


def _batch(request, importbatch_id: int) -> ImportBatch:
    queryset = ImportBatch.objects.for_household(request.household).select_related("account")
    return get_object_or_404(queryset, pk=importbatch_id)


@login_required
def import_list(request):
    """Upload form and the history of imports."""
    household = request.household
    accounts = list(FinancialAccount.objects.for_household(household))
    initial = {"account": request.GET.get("account")} if request.GET.get("account") else None
    form = UploadForm(request.POST or None, request.FILES or None, accounts=accounts, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["account"] == NEW_ACCOUNT:
                account = account_create(household=household, name=data["new_account_name"])
            else:
                account = get_object_or_404(FinancialAccount.objects.for_household(household), pk=int(data["account"]))
            upload = data["file"]
            batch = service.import_upload(
                household=household, user=request.user, account=account, data=upload.read(), filename=upload.name
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect_to(request, reverse("transactions:import_detail", args=[batch.pk]))
    batches = (
        ImportBatch.objects.for_household(household)
        .exclude(status=Status.DRAFT)
        .select_related("account")[:RECENT_BATCHES]
    )
    return render_page(request, "transactions/import_list.html", {"form": form, "batches": batches})


def _preview_context(request, batch: ImportBatch, mapping: MappingForm | None = None) -> dict:
    options = options_from_json(batch.options)
    if mapping is not None and mapping.is_valid():
        options = mapping.to_options(options)
    preview = service.import_preview(batch, options)
    if mapping is None or not mapping.is_bound:
        mapping = MappingForm(detection=preview.detection, initial=MappingForm.initial_from(preview.detection))
    return {"batch": batch, "preview": preview, "detection": preview.detection, "mapping": mapping}


@login_required
def import_detail(request, importbatch_id: int):
    """A draft shows the preview and the settings; a running batch its progress; a finished one its summary."""
    batch = _batch(request, importbatch_id)
    if batch.status == Status.DRAFT:
        try:
            context = _preview_context(request, batch)
        except ValidationError as error:
            return render(request, "transactions/import_failed.html", {"batch": batch, "reason": error_text(error)})
        return render(request, "transactions/import_preview.html", context)
    return render(request, "transactions/import_detail.html", _progress_context(batch))


@login_required
def import_preview(request, importbatch_id: int):
    """Re-render the preview with the settings the user is trying (HTMX, on every change of the settings form)."""
    batch = _batch(request, importbatch_id)
    if batch.status != Status.DRAFT:
        return redirect_to(request, reverse("transactions:import_detail", args=[batch.pk]))
    probe = service.import_preview(batch)
    mapping = MappingForm(request.GET, detection=probe.detection)
    try:
        context = _preview_context(request, batch, mapping)
    except ValidationError as error:
        context = {"batch": batch, "preview": None, "problem": error_text(error), "mapping": mapping}
    return render(request, "transactions/partials/import_preview_table.html", context)


@login_required
@require_POST
def import_confirm(request, importbatch_id: int):
    batch = _batch(request, importbatch_id)
    if batch.status != Status.DRAFT:
        return redirect_to(request, reverse("transactions:import_detail", args=[batch.pk]))
    probe = service.import_preview(batch)
    mapping = MappingForm(request.POST, detection=probe.detection)
    if not mapping.is_valid():
        context = _preview_context(request, batch, mapping)
        return render(request, "transactions/import_preview.html", context, status=400)
    options = mapping.to_options(options_from_json(batch.options))
    try:
        service.import_confirm(batch, options)
    except ValidationError as error:
        context = _preview_context(request, batch, mapping)
        context["problem"] = error_text(error)
        return render(request, "transactions/import_preview.html", context, status=400)
    return redirect_to(request, reverse("transactions:import_detail", args=[batch.pk]))


def _progress_context(batch: ImportBatch) -> dict:
    processed = service.import_progress(batch)
    total = max(batch.total_rows, processed, 1)
    percent = 100 if batch.status == Status.DONE else min(99, processed * 100 // total)
    return {"batch": batch, "processed": processed, "percent": percent}


@login_required
def import_progress(request, importbatch_id: int):
    """The progress bar (polled every second while the batch is waiting or running), then the summary."""
    batch = _batch(request, importbatch_id)
    response = render(request, "transactions/partials/import_status.html", _progress_context(batch))
    if batch.is_finished:
        response.status_code = STOP_POLLING if request.htmx else 200
    return response


@login_required
@require_POST
def import_undo(request, importbatch_id: int):
    batch = _batch(request, importbatch_id)
    try:
        removed = service.import_undo(batch)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Import undone: {removed:,} transactions removed.")
    return redirect_to(request, reverse("transactions:import_detail", args=[batch.pk]))


@login_required
@require_POST
def import_cancel(request, importbatch_id: int):
    batch = _batch(request, importbatch_id)
    try:
        service.import_discard(batch)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect_to(request, reverse("transactions:import_detail", args=[batch.pk]))
    return redirect_to(request, reverse("transactions:import_list"))
