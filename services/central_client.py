"""The kiosk's HTTP client for the central API: timeouts on every call, problem+json mapped
to typed errors, and retries only where they cannot repeat an effect."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kiosk.domain import FacilitySummary, ResidentMatch

USER_AGENT = "lobby-kiosk/0.1"
RETRYABLE_STATUS = (502, 503, 504)


class CentralError(Exception):
    """The central API refused or could not answer; ``code`` is stable, ``field`` optional."""

    def __init__(
        self, code: str, detail: str = "", field: str = "", status: int | None = None
    ) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.field = field
        self.status = status
        self.attempts_remaining: int | None = None
        self.locked_until = ""
        # The problem's own words (title, and detail when it had one), for staff to read on
        # the outbox screen; ``detail`` above falls back to the title or the HTTP reason.
        self.problem_title = ""
        self.problem_detail = ""


class CentralUnreachable(CentralError):
    """No answer at all (network down, server stopped, or timed out): worth retrying later."""


@dataclass(frozen=True)
class ServiceState:
    """Whether the fleet's operators let this kiosk serve families, and why not."""

    in_service: bool
    reason: str = ""


@dataclass(frozen=True)
class FamilySession:
    """A signed-in family: never written anywhere, dropped on sign-out and idle wipe."""

    token: str = field(repr=False)
    account_id: str


@dataclass(frozen=True)
class StaffSession:
    """A signed-in staff member: in memory only, dropped when staff mode ends."""

    token: str = field(repr=False)
    staff_id: str
    name: str
    role: str


@dataclass(frozen=True)
class Enrollment:
    kiosk_id: str
    facility_id: str
    token: str


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
            return self._session.request(
                method, self.base_url + path, timeout=self._timeout, verify=self._verify,
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
            return response.json() if response.content else None
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
        self, path: str, params: dict[str, str] | None = None, family: str | None = None
    ) -> Any:
        return self._check(
            self._send("GET", path, params=params, headers=self._headers(family=family))
        )

    def _post(
        self,
        path: str,
        body: dict[str, Any] | None,
        idempotency_key: str | None = None,
        family: str | None = None,
    ) -> Any:
        extra = {"Idempotency-Key": idempotency_key} if idempotency_key else None
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
        body = self._post("/v1/kiosks/heartbeat", report)
        return ServiceState(bool(body["in_service"]), body.get("out_of_service_reason") or "")

    def enroll(self, code: str, kiosk_name: str) -> Enrollment:
        """Trade a one-time code for a token. The token works, and the code is spent, only
        after ``confirm_enrollment`` (store the token first)."""
        body = self._post("/v1/kiosks/enroll", {"code": code, "name": kiosk_name})
        return Enrollment(body["kiosk_id"], body["facility_id"], body["token"])

    def confirm_enrollment(self, token: str) -> None:
        """Tell the server this kiosk holds ``token``; answers the same when sent again."""
        self._check(self._send("POST", "/v1/kiosks/enroll/confirm",
                               headers={**self._headers(), "Authorization": f"Bearer {token}"}))

    def facilities(self) -> list[FacilitySummary]:
        return [
            FacilitySummary(
                id=f["id"],
                name=f["name"],
                state=f["state"],
                timezone=f["timezone"],
                offers_subscriptions=f["offers_subscriptions"],
                offers_single_call=f["offers_single_call"],
            )
            for f in self._get("/v1/facilities")
        ]

    def search_residents(self, facility_id: str, query: str) -> list[ResidentMatch]:
        found = self._get(
            f"/v1/facilities/{quote(facility_id, safe='')}/residents",
            params={"q": query},
        )
        return [ResidentMatch(r["id"], r["display_name"], r["resident_number"]) for r in found]

    def resident_directory(self, facility_id: str) -> list[ResidentMatch]:
        """Every resident of the facility (names and numbers), for searching offline."""
        body = self._get(f"/v1/facilities/{quote(facility_id, safe='')}/resident-directory")
        return [
            ResidentMatch(r["id"], r["display_name"], r["resident_number"])
            for r in body["residents"]
        ]

    def create_account(self, registration: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        account: dict[str, Any] = self._post("/v1/accounts", registration, idempotency_key)
        return account

    def report_sign_up_conflict(self, report: dict[str, Any], idempotency_key: str
                                ) -> dict[str, Any]:
        """Tell the server a queued sign-up was refused as a conflict, so the family is
        written to and staff see it (docs/offline.md, "Conflicts")."""
        answer: dict[str, Any] = self._post("/v1/kiosks/sign-up-conflicts", report,
                                            idempotency_key)
        return answer

    def report_link_conflict(self, report: dict[str, Any], idempotency_key: str
                             ) -> dict[str, Any]:
        """Tell the server a queued link was refused, so the family is written to
        (docs/offline.md, "A loved one added offline")."""
        answer: dict[str, Any] = self._post("/v1/kiosks/link-conflicts", report,
                                            idempotency_key)
        return answer

    def record_audit_event(self, event: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """Send one staff action from the kiosk's audit trail (docs/staff-mode.md)."""
        answer: dict[str, Any] = self._post("/v1/kiosks/audit-events", event, idempotency_key)
        return answer

    # -- the signed-in family (the token is the caller's, kept in memory only) -------------

    def sign_in(self, phone_e164: str, pin: str) -> FamilySession:
        body = self._post("/v1/sessions", {"phone": phone_e164, "pin": pin})
        return FamilySession(token=body["token"], account_id=body["account_id"])

    def sign_out(self, family: str) -> None:
        self._check(
            self._send("DELETE", "/v1/sessions/current", headers=self._headers(family=family))
        )

    def account(self, session: FamilySession) -> dict[str, Any]:
        """The account detail as the server sends it (``services.accounts`` reads it)."""
        body: dict[str, Any] = self._get(
            f"/v1/accounts/{quote(session.account_id, safe='')}", family=session.token
        )
        return body

    def _account_path(self, session: FamilySession, tail: str) -> str:
        return f"/v1/accounts/{quote(session.account_id, safe='')}{tail}"

    def quote_deposit(self, session: FamilySession, amount_cents: int) -> dict[str, Any]:
        body: dict[str, Any] = self._post(
            self._account_path(session, "/advance-connect/quote"),
            {"amount_cents": amount_cents},
            family=session.token,
        )
        return body

    def deposit(
        self, session: FamilySession, amount_cents: int, total_cents: int, idempotency_key: str
    ) -> dict[str, Any]:
        body: dict[str, Any] = self._post(
            self._account_path(session, "/advance-connect/deposits"),
            {"amount_cents": amount_cents, "total_cents": total_cents},
            idempotency_key,
            family=session.token,
        )
        return body

    def tokenize_card(self, number: str, exp_month: int, exp_year: int, cvc: str) -> str:
        """The gateway's token for a typed card. Not retried: a retry would send the number
        again for nothing (a lost answer just means the family presses Save again)."""
        body = self._check(
            self._send(
                "POST",
                "/v1/gateway/tokens",
                json={"number": number, "exp_month": exp_month, "exp_year": exp_year,
                      "cvc": cvc},
                headers=self._headers(),
            )
        )
        return str(body["token"])

    def add_card(
        self, session: FamilySession, token: str, idempotency_key: str
    ) -> dict[str, Any]:
        body: dict[str, Any] = self._post(
            self._account_path(session, "/payment-methods"),
            {"token": token},
            idempotency_key,
            family=session.token,
        )
        return body

    def facility_detail(self, facility_id: str) -> dict[str, Any]:
        """The facility's plans and per-minute rates, as the server sells them."""
        body: dict[str, Any] = self._get(f"/v1/facilities/{quote(facility_id, safe='')}")
        return body

    def quote_subscription(
        self, session: FamilySession, plan_id: str, renewal_mode: str
    ) -> dict[str, Any]:
        body: dict[str, Any] = self._post(
            self._account_path(session, "/subscriptions/quote"),
            {"plan_id": plan_id, "renewal_mode": renewal_mode},
            family=session.token,
        )
        return body

    def buy_subscription(
        self,
        session: FamilySession,
        purchase: dict[str, Any],
        idempotency_key: str,
    ) -> dict[str, Any]:
        body: dict[str, Any] = self._post(
            self._account_path(session, "/subscriptions"), purchase, idempotency_key,
            family=session.token,
        )
        return body

    def manage_subscription(
        self,
        session: FamilySession,
        subscription_id: str,
        action: str,
        payment_method_id: str,
        idempotency_key: str,
    ) -> dict[str, Any]:
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
        result: dict[str, Any] = body
        return result

    def advice_from_estimate(self, session: FamilySession, estimate: dict[str, int]
                             ) -> dict[str, Any]:
        body: dict[str, Any] = self._post(
            self._account_path(session, "/advisor"), dict(estimate), family=session.token
        )
        return body

    def advice_from_history(self, session: FamilySession) -> dict[str, Any]:
        """Priced on the family's last complete periods (409 ``no_usage_history`` before)."""
        body: dict[str, Any] = self._get(
            self._account_path(session, "/advisor"), family=session.token
        )
        return body

    def link_resident(
        self, session: FamilySession, facility_id: str, resident_id: str, idempotency_key: str
    ) -> dict[str, Any]:
        body: dict[str, Any] = self._post(
            self._account_path(session, "/residents"),
            {"facility_id": facility_id, "resident_id": resident_id},
            idempotency_key,
            family=session.token,
        )
        return body

    def transactions(self, session: FamilySession, limit: int = 20) -> dict[str, Any]:
        body: dict[str, Any] = self._get(
            self._account_path(session, "/advance-connect/transactions"),
            params={"limit": str(limit)}, family=session.token,
        )
        return body

    def request_refund(self, session: FamilySession, idempotency_key: str) -> dict[str, Any]:
        body: dict[str, Any] = self._post(
            self._account_path(session, "/advance-connect/refund-requests"), None,
            idempotency_key, family=session.token,
        )
        return body

    # -- staff (the staff session's token is the caller's, kept in memory only) -------------

    def staff_sign_in(self, badge: str, pin: str) -> StaffSession:
        body = self._post("/v1/staff/sessions", {"badge_id": badge, "pin": pin})
        staff = body["staff"]
        return StaffSession(token=body["token"], staff_id=staff["id"], name=staff["name"],
                            role=staff["role"])

    def staff_sign_out(self, staff_token: str) -> None:
        self._check(self._send("DELETE", "/v1/staff/sessions/current",
                               headers={**self._headers(), "X-Staff-Session": staff_token}))

    def sign_up_conflicts(self, staff_token: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._check(self._send(
            "GET", "/v1/admin/sign-up-conflicts",
            headers={**self._headers(), "X-Staff-Session": staff_token}))
        return found

    def resolve_sign_up_conflict(self, staff_token: str, conflict_id: str, resolution: str
                                 ) -> dict[str, Any]:
        answer: dict[str, Any] = self._check(self._send(
            "POST", f"/v1/admin/sign-up-conflicts/{quote(conflict_id, safe='')}/resolve",
            json={"resolution": resolution},
            headers={**self._headers(), "X-Staff-Session": staff_token}))
        return answer
