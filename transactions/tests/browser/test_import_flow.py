"""In a real browser: upload a bank file → preview → fix the date format → import → see the rows → undo."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from transactions.models import Transaction
from transactions.tests.factories import FinancialAccountFactory

pytestmark = pytest.mark.browser

# Every date fits both month-first and day-first: only the user knows this bank writes day first.
STATEMENT = (
    "Date,Description,Amount\n"
    "01/02/2025,SQ *BLUE BOTTLE COFFEE OAKLAND CA,-4.50\n"
    "03/04/2025,ACME CORP PAYROLL,2500.00\n"
    "05/06/2025,NETFLIX.COM,-15.49\n"
)


def log_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_upload_preview_change_mapping_import_list_undo(live_asgi, page: Page, password, tmp_path):
    person = UserFactory(password=password)
    household = person.membership.household
    FinancialAccountFactory(household=household, name="Everyday checking")
    statement = tmp_path / "statement.csv"
    statement.write_text(STATEMENT)
    log_in(page, live_asgi.url, person.email, password)

    page.goto(f"{live_asgi.url}/transactions/imports/")
    page.get_by_label("File").set_input_files(str(statement))
    page.get_by_label("Into account").select_option(label="Everyday checking")
    page.get_by_role("button", name="Upload and preview").click()

    preview = page.locator("#preview-rows")
    expect(page.get_by_role("heading", name="Preview: statement.csv")).to_be_visible()
    expect(preview).to_contain_text("Jan 2, 2025")  # detected month first
    page.get_by_label("Date format").select_option(value="%d/%m/%Y")
    expect(preview).to_contain_text("Feb 1, 2025")  # the preview follows the change (HTMX)
    expect(preview).to_contain_text("Apr 3, 2025")

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_test_id("imported")).to_have_text("3")
    expect(page.get_by_test_id("duplicates")).to_have_text("0")

    page.get_by_role("link", name="See the imported transactions").click()
    table = page.locator("#txn-table")
    expect(table).to_contain_text("Feb 1, 2025")
    expect(table).to_contain_text("Jun 5, 2025")
    expect(page.locator("#txn-rows tr[id^=txn-]")).to_have_count(3)

    page.go_back()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Undo this import").click()
    expect(page.locator("#import-summary")).to_contain_text("This import was undone")
    assert not Transaction.objects.filter(household=household).exists()
    page.goto(f"{live_asgi.url}/transactions/")
    expect(page.locator("#txn-rows tr[id^=txn-]")).to_have_count(0)


def test_inline_category_change_and_always_rule(live_asgi, page: Page, password):
    person = UserFactory(password=password)
    household = person.membership.household
    account = FinancialAccountFactory(household=household, name="Card")
    from transactions.tests.factories import TransactionFactory

    first = TransactionFactory(
        household=household, account=account, description="SQ *BLUE BOTTLE 1", merchant="Blue Bottle Coffee"
    )
    TransactionFactory(
        household=household, account=account, description="SQ *BLUE BOTTLE 2", merchant="Blue Bottle Coffee"
    )
    log_in(page, live_asgi.url, person.email, password)
    page.goto(f"{live_asgi.url}/transactions/")

    page.get_by_test_id(f"category-{first.pk}").click()
    picker = page.get_by_role("combobox", name="Category of SQ *BLUE BOTTLE 1", exact=True)
    expect(picker).to_be_visible()
    # htmx wires up swapped-in content when it settles; a change before that would never be posted.
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    picker.select_option(label="Coffee")
    row = page.locator(f"#txn-{first.pk}")
    expect(row).to_contain_text("Food and drink › Coffee")
    row.get_by_role("button", name="Create rule").click()
    expect(page.locator(f"#txn-{first.pk}")).to_contain_text("1 other transaction updated")
    page.reload()
    expect(page.locator("#txn-table")).not_to_contain_text("Uncategorised")
