"""The kiosk's HTTP client for the central API: timeouts on every call, problem+json mapped
to typed errors, retries only where they cannot repeat an effect, and every answer decoded
into typed values (``services/answers.py``; a malformed one raises ``MalformedAnswer``)."""

from __future__ import annotations

import threading
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from domain import (
    AccountView,
    Advice,
    CardView,
    DepositQuote,
    DepositReceipt,
    FacilitySummary,
    ReaderPayment,
    RefundView,
    ResidentMatch,
    SignUpConflict,
    SubscriptionQuote,
    SubscriptionView,
)
from services import answers
from services.answers import (
    Enrollment,
    FacilityDetail,
    FamilySession,
    ServiceState,
    StaffSession,
    TransactionsPage,
)
from services.errors import CentralError, CentralUnreachable, MalformedAnswer

T = TypeVar("T")

# What callers name from here: the errors and the records the client answers with.
__all__ = [
    "CentralClient",
    "CentralError",
    "CentralUnreachable",
    "Enrollment",
    "FacilityDetail",
    "FamilySession",
    "MalformedAnswer",
    "ServiceState",
    "StaffSession",
    "TransactionsPage",
]

USER_AGENT = "lobby-kiosk/0.1"
RETRYABLE_STATUS = (502, 503, 504)


class _StoppableRetry(Retry):
    """urllib3's retries, whose back-off ends as soon as the client is closed."""

    closing: threading.Event

    def _sleep_backoff(self) -> None:
        backoff = self.get_backoff_time()
        if backoff > 0:
            self.closing.wait(backoff)


class CentralClient:
    """One client per kiosk. ``token`` is the kiosk's bearer token (None before enrollment)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 10.0,
        connect_timeout: float = 3.05,
        post_attempts: int = 3,
        session: requests.Session | None = None,
        ca_bundle: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._timeout = (connect_timeout, timeout)
        self._post_attempts = post_attempts
        self._session = session or requests.Session()
        self._closing = threading.Event()
        # The server's certificate is always checked: against this authority when given
        # (a private CA for the fleet), else against the system's trusted authorities. It
        # goes with every request: requests lets REQUESTS_CA_BUNDLE override a session's.
        self._verify: str | bool = ca_bundle or True
        # GETs are safe to retry; POSTs are retried by hand, and only with an Idempotency-Key.
        retry = type("ClientRetry", (_StoppableRetry,), {"closing": self._closing})(
            total=2,
            connect=2,
            read=1,
            backoff_factor=0.2,
            status_forcelist=RETRYABLE_STATUS,
            allowed_methods=frozenset({"GET", "HEAD"}),
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers["User-Agent"] = USER_AGENT

    # -- plumbing --------------------------------------------------------------------------

    def _headers(
        self, extra: dict[str, str] | None = None, family: str | None = None
    ) -> dict[str, str]:
        headers = {"Accept": "application/json, application/problem+json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if family:
            # The family's session token: held in memory by the caller, sent per request.
            headers["X-Family-Session"] = family
        if extra:
            headers.update(extra)
        return headers

    def close(self) -> None:
        """The kiosk is closing: requests in flight stop retrying and new ones fail at once
        as unreachable, so shutting down never waits on retries to a server that is gone."""
        self._closing.set()
        self._session.close()

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        if self._closing.is_set():
            raise CentralUnreachable("offline", "the kiosk is closing")
        try:
            timeout = kwargs.pop("timeout", self._timeout)
            return self._session.request(
                method, self.base_url + path, timeout=timeout, verify=self._verify,
                **kwargs,
            )
        except requests.Timeout as exc:
            raise CentralUnreachable("timeout", "the central API did not answer in time") from exc
        except requests.exceptions.SSLError as exc:
            raise CentralUnreachable(
                "tls_untrusted", "the central API's certificate is not trusted"
            ) from exc
        except requests.ConnectionError as exc:
            raise CentralUnreachable("offline", "the central API cannot be reached") from exc
        except requests.RequestException as exc:
            raise CentralUnreachable("offline", str(exc)) from exc

    @staticmethod
    def _check(response: requests.Response) -> Any:
        if response.status_code < 400:
            try:
                return response.json() if response.content else None
            except ValueError:
                raise MalformedAnswer(f"answer to {response.request.method} "
                                      f"{response.request.path_url}", "the body",
                                      "JSON") from None
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        if not isinstance(problem, dict):
            problem = {}
        code = str(problem.get("code") or ("server_error" if response.status_code >= 500
                                           else "http_error"))
        unreachable = response.status_code in RETRYABLE_STATUS
        error = (CentralUnreachable if unreachable else CentralError)(
            code,
            str(problem.get("detail") or problem.get("title") or response.reason),
            str(problem.get("field") or ""),
            response.status_code,
        )
        remaining = problem.get("attempts_remaining")
        error.attempts_remaining = remaining if isinstance(remaining, int) else None
        error.locked_until = str(problem.get("locked_until") or "")
        error.problem_title = str(problem.get("title") or "")
        error.problem_detail = str(problem.get("detail") or "")
        raise error

    def _get(
        self, path: str, params: dict[str, str] | None = None, family: str | None = None,
        language: str = "",
    ) -> Any:
        extra = {"Accept-Language": language} if language else None
        return self._check(
            self._send("GET", path, params=params, headers=self._headers(extra, family))
        )

    def _post(
        self,
        path: str,
        body: dict[str, Any] | None,
        idempotency_key: str | None = None,
        family: str | None = None,
        language: str = "",
    ) -> Any:
        extra = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        if language:
            extra["Accept-Language"] = language
        attempts = self._post_attempts if idempotency_key else 1
        for attempt in range(1, attempts + 1):
            try:
                headers = self._headers(extra, family)
                response = self._send("POST", path, json=body, headers=headers)
                if response.status_code == 409 and attempt < attempts:
                    problem = response.json() if response.content else {}
                    if problem.get("code") == "request_in_flight":
                        if self._closing.wait(0.5 * attempt):
                            return self._check(response)
                        continue
                return self._check(response)
            except CentralUnreachable:
                if attempt == attempts or self._closing.wait(0.3 * attempt):
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    # -- API -------------------------------------------------------------------------------

    def health(self) -> str:
        """The server's own word on its health ("ok", database "ok")."""
        body = self._check(self._send("GET", "/healthz", headers=self._headers()))
        return f"status {body.get('status')}, database {body.get('database')}"

    def is_reachable(self) -> bool:
        try:
            self._check(self._send("GET", "/healthz", headers=self._headers()))
        except CentralError:
            return False
        return True

    def heartbeat(self, report: dict[str, Any]) -> ServiceState:
        """Report this kiosk's health; the answer says whether it may serve families."""
        return answers.service_state(self._post("/v1/kiosks/heartbeat", report))

    def enroll(self, code: str, kiosk_name: str) -> Enrollment:
        """Trade a one-time code for a token. The token works, and the code is spent, only
        after ``confirm_enrollment`` (store the token first)."""
        return answers.enrollment(
            self._post("/v1/kiosks/enroll", {"code": code, "name": kiosk_name}))

    def confirm_enrollment(self, token: str) -> None:
        """Tell the server this kiosk holds ``token``; answers the same when sent again."""
        self._check(self._send("POST", "/v1/kiosks/enroll/confirm",
                               headers={**self._headers(), "Authorization": f"Bearer {token}"}))

    def facilities(self) -> list[FacilitySummary]:
        return answers.each("facilities", self._get("/v1/facilities"), answers.facility)

    def search_residents(self, facility_id: str, query: str) -> list[ResidentMatch]:
        found = self._get(
            f"/v1/facilities/{quote(facility_id, safe='')}/residents",
            params={"q": query},
        )
        return answers.each("resident search", found, answers.resident)

    def resident_directory(self, facility_id: str) -> list[ResidentMatch]:
        """Every resident of the facility (names and numbers), for searching offline."""
        return answers.resident_directory(
            self._get(f"/v1/facilities/{quote(facility_id, safe='')}/resident-directory"))

    def facility_detail(self, facility_id: str, language: str = "") -> FacilityDetail:
        """The facility's time zone, plans (named in ``language``) and per-minute rates, as
        the server sells them."""
        return answers.facility_detail(
            self._get(f"/v1/facilities/{quote(facility_id, safe='')}", language=language))

    def create_account(self, registration: dict[str, Any], idempotency_key: str) -> str:
        """Open the account a family signed up for; the answer is its id."""
        return answers.created_account_id(
            self._post("/v1/accounts", registration, idempotency_key))

    def report_sign_up_conflict(self, report: dict[str, Any], idempotency_key: str) -> None:
        """Tell the server a queued sign-up was refused as a conflict, so the family is
        written to and staff see it (docs/offline.md, "Conflicts")."""
        self._post("/v1/kiosks/sign-up-conflicts", report, idempotency_key)

    def report_link_conflict(self, report: dict[str, Any], idempotency_key: str) -> None:
        """Tell the server a queued link was refused, so the family is written to
        (docs/offline.md, "A loved one added offline")."""
        self._post("/v1/kiosks/link-conflicts", report, idempotency_key)

    def record_audit_event(self, event: dict[str, Any], idempotency_key: str) -> None:
        """Send one staff action from the kiosk's audit trail (docs/staff-mode.md)."""
        self._post("/v1/kiosks/audit-events", event, idempotency_key)

    def cash_maximum(self) -> int:
        """The most one family's cash visit may add at this kiosk's facility, in cents (a
        supervisor sets it: docs/cash.md, "The limits")."""
        return answers.cash_maximum(self._get("/v1/kiosks/cash-terms"))

    def post_cash_deposit(self, deposit: dict[str, Any], idempotency_key: str
                          ) -> answers.CashDepositAnswer:
        """Credit notes the acceptor stacked, under the note's own key (docs/cash.md)."""
        return answers.cash_deposit(
            self._post("/v1/kiosks/cash-deposits", deposit, idempotency_key))

    def post_cash_receipt(self, visit: dict[str, Any], idempotency_key: str
                          ) -> answers.CashReceiptAnswer:
        """Ask for the e-mailed receipt of a finished cash visit (docs/cash.md)."""
        return answers.cash_receipt(
            self._post("/v1/kiosks/cash-receipts", visit, idempotency_key))

    def post_cash_count(self, count: dict[str, Any], idempotency_key: str
                        ) -> answers.CashCountAnswer:
        """Send the count of a cassette staff took out (docs/cash.md)."""
        return answers.cash_count(
            self._post("/v1/kiosks/cash-box-counts", count, idempotency_key))

    # -- the signed-in family (the token is the caller's, kept in memory only) -------------

    def sign_in(self, phone_e164: str, pin: str) -> FamilySession:
        return answers.family_session(
            self._post("/v1/sessions", {"phone": phone_e164, "pin": pin}))

    def sign_out(self, family: str) -> None:
        self._check(
            self._send("DELETE", "/v1/sessions/current", headers=self._headers(family=family))
        )

    def get_as(self, kind: type[T], path: str, *, family: FamilySession | None = None,
               params: dict[str, str] | None = None, language: str = "") -> T:
        """A GET whose answer is read into the dataclass ``kind`` by its fields
        (``answers.decode_as``): a new request needs no client method of its own
        (docs/architecture.md, "Adding a kiosk request"). ``family``: as that family."""
        return answers.decode_as(kind, self._get(
            path, params, family.token if family is not None else None, language))

    def _account_path(self, session: FamilySession, tail: str = "") -> str:
        return f"/v1/accounts/{quote(session.account_id, safe='')}{tail}"

    def account(self, session: FamilySession, language: str = "") -> AccountView:
        """The account detail: balance, loved ones, subscriptions and the card on file; plan
        names in ``language`` (the family's on screen)."""
        return answers.account(self._get(self._account_path(session), family=session.token,
                                         language=language))

    def quote_deposit(self, session: FamilySession, amount_cents: int) -> DepositQuote:
        return answers.deposit_quote(self._post(
            self._account_path(session, "/advance-connect/quote"),
            {"amount_cents": amount_cents},
            family=session.token,
        ))

    def deposit(
        self, session: FamilySession, amount_cents: int, total_cents: int, idempotency_key: str
    ) -> DepositReceipt:
        return answers.deposit_receipt(self._post(
            self._account_path(session, "/advance-connect/deposits"),
            {"amount_cents": amount_cents, "total_cents": total_cents},
            idempotency_key,
            family=session.token,
        ))

    # -- the card reader (docs/payments.md "The card reader") -------------------------------

    def reader_deposit(
        self, session: FamilySession, amount_cents: int, total_cents: int, save_card: bool,
        idempotency_key: str,
    ) -> ReaderPayment:
        """Ask the server to collect a deposit on this kiosk's reader. The same key again
        is the same payment (a retry never starts a second one)."""
        return answers.reader_payment(self._post(
            self._account_path(session, "/terminal/deposits"),
            {"amount_cents": amount_cents, "total_cents": total_cents, "save_card": save_card},
            idempotency_key,
            family=session.token,
        ))

    def reader_purchase(self, session: FamilySession, purchase: dict[str, Any],
                        idempotency_key: str) -> ReaderPayment:
        """Ask the server to collect a plan's price on this kiosk's reader (``purchase``:
        plan_id, renewal_mode, terms_version, accept_terms, quoted_total_cents, save_card).
        The same key again is the same payment."""
        return answers.reader_payment(self._post(
            self._account_path(session, "/terminal/subscriptions"), purchase,
            idempotency_key, family=session.token,
        ))

    def reader_renewal(self, session: FamilySession, renewal: dict[str, Any],
                       idempotency_key: str) -> ReaderPayment:
        """Ask the server to collect a manual subscription's next period (renew-now) on this
        kiosk's reader (``renewal``: subscription_id, quoted_total_cents, save_card). The
        same key again is the same payment."""
        return answers.reader_payment(self._post(
            self._account_path(session, "/terminal/renewals"), renewal,
            idempotency_key, family=session.token,
        ))

    def reader_payment(self, payment_id: str, wait: float = 0.0, after: str = ""
                       ) -> ReaderPayment:
        """The payment's state; with ``wait`` and ``after``, the server answers as soon as
        the state is not ``after`` any more, or after ``wait`` seconds (a long poll: this
        request may take that much longer than others)."""
        params = {"wait": f"{wait:g}"} if wait else {}
        if after:
            params["after"] = after
        connect, read = self._timeout
        return answers.reader_payment(self._check(self._send(
            "GET", f"/v1/terminal/payments/{quote(payment_id, safe='')}", params=params,
            headers=self._headers(), timeout=(connect, read + wait))))

    def cancel_reader_payment(self, payment_id: str) -> ReaderPayment:
        """Stop the reader's action. Safe to repeat: a finished payment answers as it ended."""
        return answers.reader_payment(self._check(self._send(
            "POST", f"/v1/terminal/payments/{quote(payment_id, safe='')}/cancel",
            headers=self._headers())))

    def tokenize_card(self, number: str, exp_month: int, exp_year: int, cvc: str) -> str:
        """The gateway's token for a typed card. Not retried: a retry would send the number
        again for nothing (a lost answer just means the family presses Save again)."""
        return answers.gateway_token(self._check(
            self._send(
                "POST",
                "/v1/gateway/tokens",
                json={"number": number, "exp_month": exp_month, "exp_year": exp_year,
                      "cvc": cvc},
                headers=self._headers(),
            )
        ))

    def add_card(self, session: FamilySession, token: str, idempotency_key: str) -> CardView:
        return answers.saved_card(self._post(
            self._account_path(session, "/payment-methods"),
            {"token": token},
            idempotency_key,
            family=session.token,
        ))

    def quote_subscription(
        self, session: FamilySession, plan_id: str, renewal_mode: str, language: str = ""
    ) -> SubscriptionQuote:
        """The server's quote; the plan's name, what it covers and the no-refund terms in
        ``language`` (the family's on screen)."""
        return answers.subscription_quote(self._post(
            self._account_path(session, "/subscriptions/quote"),
            {"plan_id": plan_id, "renewal_mode": renewal_mode},
            family=session.token, language=language,
        ))

    def buy_subscription(
        self,
        session: FamilySession,
        purchase: dict[str, Any],
        idempotency_key: str,
    ) -> SubscriptionView:
        return answers.subscription_answer(self._post(
            self._account_path(session, "/subscriptions"), purchase, idempotency_key,
            family=session.token,
        ))

    def manage_subscription(
        self,
        session: FamilySession,
        subscription_id: str,
        action: str,
        payment_method_id: str,
        idempotency_key: str,
    ) -> SubscriptionView:
        """cancel, resume, renewal_auto, renewal_manual or renew_now (charged: idempotent)."""
        tail = f"/subscriptions/{quote(subscription_id, safe='')}"
        path = self._account_path(session, tail)
        if action in ("cancel", "resume"):
            body = self._post(f"{path}/{action}", None, family=session.token)
        elif action == "renew_now":
            body = self._post(f"{path}/renew-now", None, idempotency_key, family=session.token)
        else:
            mode = action.removeprefix("renewal_")
            body = self._post(
                f"{path}/renewal",
                {"renewal_mode": mode, "payment_method_id": payment_method_id or None},
                family=session.token,
            )
        return answers.subscription_answer(body)

    def advice_from_estimate(self, session: FamilySession, estimate: dict[str, int]) -> Advice:
        return answers.advice(self._post(
            self._account_path(session, "/advisor"), dict(estimate), family=session.token
        ))

    def advice_from_history(self, session: FamilySession) -> Advice:
        """Priced on the family's last complete periods (409 ``no_usage_history`` before)."""
        return answers.advice(self._get(self._account_path(session, "/advisor"),
                                        family=session.token))

    def link_resident(
        self, session: FamilySession, facility_id: str, resident_id: str, idempotency_key: str
    ) -> None:
        """Link a resident to the family's account (read the account for the result)."""
        self._post(
            self._account_path(session, "/residents"),
            {"facility_id": facility_id, "resident_id": resident_id},
            idempotency_key,
            family=session.token,
        )

    def transactions(self, session: FamilySession, limit: int = 20) -> TransactionsPage:
        return answers.transactions_page(self._get(
            self._account_path(session, "/advance-connect/transactions"),
            params={"limit": str(limit)}, family=session.token,
        ))

    def request_refund(self, session: FamilySession, idempotency_key: str) -> RefundView:
        return answers.refund(self._post(
            self._account_path(session, "/advance-connect/refund-requests"), None,
            idempotency_key, family=session.token,
        ))

    # -- staff (the staff session's token is the caller's, kept in memory only) -------------

    def staff_sign_in(self, badge: str, pin: str) -> StaffSession:
        return answers.staff_session(
            self._post("/v1/staff/sessions", {"badge_id": badge, "pin": pin}))

    def staff_sign_out(self, staff_token: str) -> None:
        self._check(self._send("DELETE", "/v1/staff/sessions/current",
                               headers={**self._headers(), "X-Staff-Session": staff_token}))

    def sign_up_conflicts(self, staff_token: str) -> list[SignUpConflict]:
        found = self._check(self._send(
            "GET", "/v1/admin/sign-up-conflicts",
            headers={**self._headers(), "X-Staff-Session": staff_token}))
        return answers.each("sign-up conflicts", found, answers.sign_up_conflict)

    def resolve_sign_up_conflict(self, staff_token: str, conflict_id: str, resolution: str
                                 ) -> None:
        self._check(self._send(
            "POST", f"/v1/admin/sign-up-conflicts/{quote(conflict_id, safe='')}/resolve",
            json={"resolution": resolution},
            headers={**self._headers(), "X-Staff-Session": staff_token}))
