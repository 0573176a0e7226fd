"""A scripted stand-in for Plaid's API, served over real HTTP in a thread, for the real plaid-python client.

Tests create items and publish changes to them; `/transactions/sync` serves those changes in order, paginated by
`count`, with cursors that are positions in the item's change log (`"c<position>"`). Failures are scripted per
endpoint (`fail_next`), a request can be held at the door (`hold`) to make two syncs overlap, and webhooks are
signed with an ES256 key that `/webhook_verification_key/get` publishes.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

CLIENT_ID = "fake-client-id"
SECRET = "fake-secret-value"

_ids = itertools.count(1)


def _next_id(prefix: str) -> str:
    return f"{prefix}{next(_ids):06d}"


def plaid_account(
    name: str = "Plaid Checking",
    *,
    mask: str = "0000",
    type: str = "depository",
    subtype: str = "checking",
    current: str = "1000.00",
    available: str | None = None,
    currency: str = "USD",
    account_id: str | None = None,
) -> dict:
    """An account as Plaid describes it (balances as Plaid signs them)."""
    return {
        "account_id": account_id or _next_id("acc-"),
        "balances": {
            "available": Decimal(available) if available is not None else None,
            "current": Decimal(current),
            "iso_currency_code": currency,
            "limit": None,
            "unofficial_currency_code": None,
        },
        "mask": mask,
        "name": name,
        "official_name": f"{name} Account",
        "type": type,
        "subtype": subtype,
        "persistent_account_id": None,
    }


def plaid_transaction(
    account_id: str,
    *,
    amount: str = "12.34",
    date: str = "2025-03-01",
    name: str = "BLUE BOTTLE COFFEE",
    merchant_name: str | None = "Blue Bottle Coffee",
    pending: bool = False,
    pending_transaction_id: str | None = None,
    pfc: tuple[str, str, str] | None = ("FOOD_AND_DRINK", "FOOD_AND_DRINK_COFFEE", "VERY_HIGH"),
    transaction_id: str | None = None,
    currency: str = "USD",
) -> dict:
    """A transaction as Plaid sends it: `amount` positive for money out."""
    return {
        "account_id": account_id,
        "account_owner": None,
        "amount": Decimal(amount),
        "authorized_date": date,
        "authorized_datetime": None,
        "category": None,
        "category_id": None,
        "check_number": None,
        "counterparties": [],
        "date": date,
        "datetime": None,
        "iso_currency_code": currency,
        "location": {
            "address": None,
            "city": None,
            "country": None,
            "lat": None,
            "lon": None,
            "postal_code": None,
            "region": None,
            "store_number": None,
        },
        "logo_url": None,
        "merchant_entity_id": None,
        "merchant_name": merchant_name,
        "name": name,
        "original_description": name,
        "payment_channel": "in store",
        "payment_meta": {
            "by_order_of": None,
            "payee": None,
            "payer": None,
            "payment_method": None,
            "payment_processor": None,
            "ppd_id": None,
            "reason": None,
            "reference_number": None,
        },
        "pending": pending,
        "pending_transaction_id": pending_transaction_id,
        "personal_finance_category": (
            {"primary": pfc[0], "detailed": pfc[1], "confidence_level": pfc[2]} if pfc else None
        ),
        "transaction_code": None,
        "transaction_id": transaction_id or _next_id("txn-"),
        "transaction_type": "place",
        "unofficial_currency_code": None,
        "website": None,
    }


@dataclass
class FakeItem:
    """One linked login at the fake Plaid: its accounts and the log of transaction changes it publishes."""

    institution_id: str
    accounts: list[dict]
    item_id: str = field(default_factory=lambda: _next_id("item-"))
    access_token: str = field(default_factory=lambda: f"access-sandbox-{secrets.token_hex(16)}")
    public_token: str = field(default_factory=lambda: f"public-sandbox-{secrets.token_hex(16)}")
    changes: list[tuple[str, dict]] = field(default_factory=list)
    removed_at_plaid: bool = False

    def account_id(self, index: int = 0) -> str:
        return self.accounts[index]["account_id"]

    def add(self, *transactions: dict) -> list[dict]:
        self.changes.extend(("added", t) for t in transactions)
        return list(transactions)

    def modify(self, *transactions: dict) -> None:
        self.changes.extend(("modified", t) for t in transactions)

    def remove(self, *transaction_ids: str) -> None:
        for transaction_id in transaction_ids:
            account_id = next((t["account_id"] for _, t in self.changes if t["transaction_id"] == transaction_id), "")
            self.changes.append(("removed", {"transaction_id": transaction_id, "account_id": account_id}))

    def post(self, pending: dict, **changes: Any) -> dict:
        """The pending transaction posts: Plaid removes it and adds a posted one pointing back at it."""
        posted = plaid_transaction(
            pending["account_id"],
            amount=str(changes.pop("amount", pending["amount"])),
            date=changes.pop("date", pending["date"]),
            name=pending["name"],
            merchant_name=pending["merchant_name"],
            pending_transaction_id=pending["transaction_id"],
            **changes,
        )
        self.remove(pending["transaction_id"])
        self.add(posted)
        return posted


@dataclass
class ScriptedFailure:
    status: int
    error_type: str
    error_code: str
    message: str
    skip: int = 0  # successful calls to let through first
    then: Callable[[], None] | None = None  # run when the failure fires (e.g. publish the mutation)


@dataclass
class Hold:
    """Keeps a request waiting: `entered` is set when it arrives, it proceeds once `release` is set."""

    entered: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


@dataclass
class RecordedRequest:
    path: str
    body: dict


class FakePlaid:
    def __init__(self, institution_name: str = "First Platypus Bank") -> None:
        self.institution_name = institution_name
        self.items: dict[str, FakeItem] = {}
        self.requests: list[RecordedRequest] = []
        self.failures: dict[str, deque[ScriptedFailure]] = defaultdict(deque)
        self.holds: dict[str, Hold] = {}
        self.server_seconds = 0.0
        self._lock = threading.Lock()
        self._keys: dict[str, tuple[ec.EllipticCurvePrivateKey, dict]] = {}
        self.current_kid = self.new_signing_key()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle --------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakePlaid:
        self._thread.start()
        return self

    def stop(self) -> None:
        for hold in self.holds.values():
            hold.release.set()
        self._server.shutdown()
        self._server.server_close()

    # --- scripting ----------------------------------------------------------------------------------------------
    def add_item(self, accounts: list[dict] | None = None, institution_id: str = "ins_109508") -> FakeItem:
        item = FakeItem(institution_id=institution_id, accounts=accounts or [plaid_account()])
        self.items[item.access_token] = item
        return item

    def relink(self, item: FakeItem) -> FakeItem:
        """The same login linked again: a new item with new ids for the same accounts and transactions."""
        accounts = [{**a, "account_id": _next_id("acc-")} for a in item.accounts]
        renamed = {old["account_id"]: new["account_id"] for old, new in zip(item.accounts, accounts, strict=True)}
        again = self.add_item(accounts, institution_id=item.institution_id)
        latest: dict[str, dict] = {}
        for kind, txn in item.changes:
            if kind == "removed":
                latest.pop(txn["transaction_id"], None)
            else:
                latest[txn["transaction_id"]] = txn
        again.add(
            *(
                {
                    **t,
                    "transaction_id": _next_id("txn-"),
                    "account_id": renamed[t["account_id"]],
                    "pending_transaction_id": None,
                }
                for t in latest.values()
            )
        )
        return again

    def fail_next(
        self,
        path: str,
        error_code: str,
        *,
        status: int = 400,
        error_type: str = "ITEM_ERROR",
        message: str = "scripted failure",
        times: int = 1,
        skip: int = 0,
        then: Callable[[], None] | None = None,
    ) -> None:
        for n in range(times):  # `skip` successful calls, then `times` failures in a row
            self.failures[path].append(
                ScriptedFailure(status, error_type, error_code, message, skip if n == 0 else 0, then)
            )

    def hold(self, path: str) -> Hold:
        self.holds[path] = Hold()
        return self.holds[path]

    def calls(self, path: str) -> list[dict]:
        return [r.body for r in self.requests if r.path == path]

    def sync_cursors(self) -> list[str]:
        return [body.get("cursor", "") for body in self.calls("/transactions/sync")]

    # --- webhooks ---------------------------------------------------------------------------------------------
    def new_signing_key(self, *, expired: bool = False) -> str:
        private_key = ec.generate_private_key(ec.SECP256R1())
        kid = secrets.token_hex(8)
        jwk = ECAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        jwk.update(
            {
                "kid": kid,
                "alg": "ES256",
                "use": "sig",
                "created_at": 1_700_000_000,
                "expired_at": 1_700_000_500 if expired else None,
            }
        )
        self._keys[kid] = (private_key, jwk)
        return kid

    def webhook(self, item: FakeItem | None, webhook_type: str, webhook_code: str, **fields: Any) -> bytes:
        payload = {
            "webhook_type": webhook_type,
            "webhook_code": webhook_code,
            "item_id": item.item_id if item else "item-unknown",
            "environment": "sandbox",
            **fields,
        }
        return json.dumps(payload, indent=2).encode()

    def sign(
        self,
        body: bytes,
        *,
        kid: str | None = None,
        iat: float | None = None,
        key: ec.EllipticCurvePrivateKey | None = None,
        body_hash: str | None = None,
    ) -> str:
        """A Plaid-Verification header for `body` (override any part to forge one)."""
        kid = kid or self.current_kid
        private_key = key or self._keys[kid][0]
        claims = {
            "iat": int(time.time() if iat is None else iat),
            "request_body_sha256": body_hash or hashlib.sha256(body).hexdigest(),
        }
        return jwt.encode(claims, private_key, algorithm="ES256", headers={"kid": kid})

    # --- the API ----------------------------------------------------------------------------------------------
    def handle(self, path: str, headers: dict[str, str], body: dict) -> tuple[int, dict]:
        with self._lock:
            self.requests.append(RecordedRequest(path, body))
        if headers.get("plaid-client-id") != CLIENT_ID or headers.get("plaid-secret") != SECRET:
            return _error(400, "INVALID_INPUT", "INVALID_API_KEYS", "invalid client_id or secret provided")
        failure = self._due_failure(path)
        if failure is not None:
            if failure.then:
                failure.then()
            return _error(failure.status, failure.error_type, failure.error_code, failure.message)
        hold = self.holds.get(path)
        if hold is not None:
            hold.entered.set()
            hold.release.wait(timeout=20)
        route = _ROUTES.get(path)
        if route is None:
            return _error(404, "INVALID_REQUEST", "UNKNOWN_FIELDS", f"unknown endpoint {path}")
        return route(self, body)

    def _due_failure(self, path: str) -> ScriptedFailure | None:
        with self._lock:
            queue = self.failures.get(path)
            if not queue:
                return None
            if queue[0].skip > 0:
                queue[0].skip -= 1
                return None
            return queue.popleft()

    def _item(self, body: dict) -> FakeItem | None:
        item = self.items.get(body.get("access_token", ""))
        return None if item is None or item.removed_at_plaid else item

    def _link_token_create(self, body: dict) -> tuple[int, dict]:
        if "access_token" in body and self._item(body) is None:
            return _error(400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN", "could not find matching access token")
        return 200, {
            "link_token": f"link-sandbox-{secrets.token_hex(8)}",
            "expiration": "2030-01-01T00:00:00Z",
            "request_id": _rid(),
        }

    def _exchange(self, body: dict) -> tuple[int, dict]:
        item = next((i for i in self.items.values() if i.public_token == body.get("public_token")), None)
        if item is None:
            return _error(400, "INVALID_INPUT", "INVALID_PUBLIC_TOKEN", "provided public token is expired")
        return 200, {"access_token": item.access_token, "item_id": item.item_id, "request_id": _rid()}

    def _item_get(self, body: dict) -> tuple[int, dict]:
        item = self._item(body)
        if item is None:
            return _invalid_access_token()
        return 200, {
            "item": {
                "item_id": item.item_id,
                "institution_id": item.institution_id,
                "webhook": "",
                "error": None,
                "available_products": [],
                "billed_products": ["transactions"],
                "consent_expiration_time": None,
                "update_type": "background",
            },
            "status": None,
            "request_id": _rid(),
        }

    def _institution(self, body: dict) -> tuple[int, dict]:
        return 200, {
            "institution": {
                "institution_id": body["institution_id"],
                "name": self.institution_name,
                "products": ["transactions"],
                "country_codes": body.get("country_codes", ["US"]),
                "routing_numbers": [],
                "oauth": False,
            },
            "request_id": _rid(),
        }

    def _accounts_get(self, body: dict) -> tuple[int, dict]:
        item = self._item(body)
        if item is None:
            return _invalid_access_token()
        return 200, {"accounts": item.accounts, "item": {"item_id": item.item_id}, "request_id": _rid()}

    def _transactions_sync(self, body: dict) -> tuple[int, dict]:
        item = self._item(body)
        if item is None:
            return _invalid_access_token()
        cursor = body.get("cursor") or "c0"
        position = int(cursor[1:])
        count = int(body.get("count", 100))
        window = item.changes[position : position + count]
        end = position + len(window)
        return 200, {
            "accounts": item.accounts,
            "added": [t for kind, t in window if kind == "added"],
            "modified": [t for kind, t in window if kind == "modified"],
            "removed": [t for kind, t in window if kind == "removed"],
            "next_cursor": f"c{end}",
            "has_more": end < len(item.changes),
            "transactions_update_status": "HISTORICAL_UPDATE_COMPLETE",
            "request_id": _rid(),
        }

    def _item_remove(self, body: dict) -> tuple[int, dict]:
        item = self._item(body)
        if item is None:
            return _invalid_access_token()
        item.removed_at_plaid = True
        return 200, {"request_id": _rid()}

    def _webhook_key(self, body: dict) -> tuple[int, dict]:
        entry = self._keys.get(body.get("key_id", ""))
        if entry is None:
            return _error(400, "INVALID_INPUT", "INVALID_WEBHOOK_VERIFICATION_KEY_ID", "invalid key_id provided")
        return 200, {"key": entry[1], "request_id": _rid()}


_ROUTES: dict[str, Callable[[FakePlaid, dict], tuple[int, dict]]] = {
    "/link/token/create": FakePlaid._link_token_create,
    "/item/public_token/exchange": FakePlaid._exchange,
    "/item/get": FakePlaid._item_get,
    "/institutions/get_by_id": FakePlaid._institution,
    "/accounts/get": FakePlaid._accounts_get,
    "/transactions/sync": FakePlaid._transactions_sync,
    "/item/remove": FakePlaid._item_remove,
    "/webhook_verification_key/get": FakePlaid._webhook_key,
}


def _rid() -> str:
    return secrets.token_hex(6)


def _error(status: int, error_type: str, error_code: str, message: str) -> tuple[int, dict]:
    return status, {
        "error_type": error_type,
        "error_code": error_code,
        "error_message": message,
        "display_message": None,
        "request_id": _rid(),
        "causes": [],
        "status": status,
        "documentation_url": "https://plaid.com/docs/errors/",
        "suggested_action": None,
    }


def _invalid_access_token() -> tuple[int, dict]:
    return _error(400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN", "could not find matching access token")


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # JSON numbers, like Plaid's: 12.34 is written as 12.34
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _handler_for(fake: FakePlaid) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            started = time.perf_counter()
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, payload = fake.handle(self.path, headers, body)
            data = json.dumps(payload, default=_json_default).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            with fake._lock:
                fake.server_seconds += time.perf_counter() - started

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read `fake.requests`
            return

    return Handler
