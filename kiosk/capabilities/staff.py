"""Staff mode's work: sign-in (online, or from the short-lived cached check), the sign-up
conflicts, this kiosk's outbox, and the local audit trail every staff action goes into.
The staff session token lives in this object's memory only; ``forget()`` drops it."""

from __future__ import annotations

import json
import logging
import threading

from sqlalchemy.exc import SQLAlchemyError

from domain import (
    CardView,
    DepositReceipt,
    ReaderPayment,
    RefundView,
    SignUpConflict,
    SubscriptionView,
)
from kiosk.capabilities import Outcome
from kiosk.capabilities.access import KioskAccess
from kiosk.requests import (
    AddLovedOne,
    BuySubscription,
    CardReaderInfo,
    Deposit,
    DiscardOutboxEntry,
    LoadCardReader,
    LoadOutbox,
    LoadSignUpConflicts,
    ManageSubscription,
    RecordStaffAction,
    RequestRefund,
    ResolveSignUpConflict,
    RetryOutbox,
    SaveCard,
    SignIn,
    StaffSignIn,
)
from kiosk.staff import (
    OfflinePinIncorrect,
    OfflineStaffCheck,
    OutboxRow,
    StaffMember,
    StaffRole,
)
from kiosk.store import LocalStore
from kiosk.sync import OutboxSender
from services.central_client import CentralClient, CentralError, CentralUnreachable, StaffSession

log = logging.getLogger(__name__)

def assisted_action(request: object, answer: object) -> tuple[str, dict[str, object]] | None:
    """The audit event for a family's ``request`` done with staff at the screen, and what it
    records: the server's own references (a transaction, a subscription), amounts in cents,
    never a card number, a PIN or a phone number. None for a request that is not one."""
    if isinstance(request, SignIn):
        return "assisted_family_signed_in", {}
    if isinstance(request, Deposit) and isinstance(answer, DepositReceipt):
        return "assisted_deposit", {"transaction_id": answer.reference,
                                    "amount_cents": answer.amount_cents,
                                    "total_cents": answer.total_cents}
    if isinstance(request, SaveCard) and isinstance(answer, CardView):
        return "assisted_card_saved", {"payment_method_id": answer.id}
    if isinstance(request, BuySubscription) and isinstance(answer, SubscriptionView):
        return "assisted_plan_bought", {"subscription_id": answer.id,
                                        "plan_id": request.plan_id,
                                        "renewal_mode": request.renewal_mode}
    if isinstance(request, ManageSubscription):
        return "assisted_plan_changed", {"subscription_id": request.subscription_id,
                                         "action": request.action}
    if isinstance(request, AddLovedOne):
        return "assisted_loved_one_added", {"facility_id": request.facility_id,
                                            "resident_id": request.resident_id}
    if isinstance(request, ReaderPayment) and request.state == "approved":
        # Paid on the card reader: known when the reader's last event says so.
        if request.deposit is not None:
            return "assisted_reader_deposit", {
                "transaction_id": request.deposit.reference,
                "amount_cents": request.deposit.amount_cents,
                "total_cents": request.deposit.total_cents}
        if request.subscription is not None:
            return "assisted_reader_plan_bought", {"subscription_id": request.subscription.id,
                                                   "amount_cents": request.amount_cents}
    if isinstance(request, RequestRefund) and isinstance(answer, RefundView):
        return "assisted_refund_requested", {"transaction_id": answer.reference,
                                             "amount_cents": answer.amount_cents}
    return None


def _problem(response: str | None) -> tuple[str, str, str]:
    """The code, title and detail of the "no" kept with a closed outbox entry."""
    try:
        answer = json.loads(response) if response else {}
    except ValueError:
        return "", "", ""
    if not isinstance(answer, dict):
        return "", "", ""
    return (str(answer.get("code") or ""), str(answer.get("title") or ""),
            str(answer.get("detail") or ""))


class StaffDesk:
    def __init__(self, client: CentralClient, store: LocalStore, access: KioskAccess,
                 sender: OutboxSender) -> None:
        self._client = client
        self._store = store
        self._access = access
        self._sender = sender
        self._offline = OfflineStaffCheck(store.clock.now)
        self._lock = threading.Lock()
        self._member: StaffMember | None = None
        self._session: StaffSession | None = None
        self._generation = 0

    @property
    def member(self) -> StaffMember | None:
        with self._lock:
            return self._member

    def _current(self) -> StaffMember:
        member = self.member
        if member is None:
            raise CentralError("staff_required", "no staff member is signed in")
        return member

    def _token(self) -> str:
        self._current()
        with self._lock:
            if self._session is None:
                # Signed in from the cached check: the server's staff routes need a session.
                raise CentralUnreachable("offline", "signed in offline")
            return self._session.token

    def audit(self, action: str, **detail: object) -> None:
        """Record ``action`` in the local audit trail with the staff member's id."""
        member = self._current()
        self._store.staff_audit(f"staff_{action}", member.id, **detail)

    def assisted(self, request: object, answer: object, account_id: str) -> None:
        """Worker threads only. When staff mode is on, record the family's ``request`` that
        the server just did (``answer``) with the staff member's id and the family's
        account. The money has moved already: a failure to record is logged, never turned
        into a failed payment."""
        member = self.member
        action = assisted_action(request, answer)
        if member is None or action is None:
            return
        event, detail = action
        try:
            self._store.staff_audit(f"staff_{event}", member.id, account_id=account_id,
                                    **detail)
        except SQLAlchemyError:
            log.exception("could not record %s for staff %s", event, member.id)

    # -- signing in and out -------------------------------------------------------------------

    def sign_in(self, request: StaffSignIn) -> Outcome[StaffMember]:
        with self._lock:
            generation = self._generation
        try:
            self._access.ensure()
            session = self._client.staff_sign_in(request.badge, request.pin)
        except CentralUnreachable:
            member = self._offline_sign_in(request)
            return self._keep(generation, member, None, online=False)
        member = StaffMember(session.staff_id, session.name, StaffRole(session.role),
                             keyed_entry=session.keyed_entry)
        self._offline.remember(request.badge, request.pin, member)
        return self._keep(generation, member, session, online=True)

    def _offline_sign_in(self, request: StaffSignIn) -> StaffMember:
        try:
            member = self._offline.check(request.badge, request.pin)
        except OfflinePinIncorrect as exc:
            error = CentralUnreachable("pin_incorrect", "wrong PIN (offline check)")
            error.attempts_remaining = exc.attempts_remaining
            raise error from None
        if member is None:
            raise CentralUnreachable("staff_offline", "no recent sign-in to check offline")
        return member

    def _keep(self, generation: int, member: StaffMember, session: StaffSession | None,
              *, online: bool) -> Outcome[StaffMember]:
        with self._lock:
            if generation != self._generation:
                raise CentralError("signed_out", "staff mode ended while signing in")
            self._member, self._session = member, session
        self.audit("signed_in", offline=member.offline)
        return Outcome(member, online=online)

    def forget(self) -> StaffSession | None:
        """End staff mode in memory now; returns the server session to close (if any)."""
        with self._lock:
            self._generation += 1
            member, session = self._member, self._session
            self._member = self._session = None
        if member is not None:
            self._store.staff_audit("staff_mode_ended", member.id)
        return session

    def close_remote(self, session: StaffSession) -> None:
        try:
            self._client.staff_sign_out(session.token)
        except CentralError as exc:
            log.info("staff sign-out not confirmed: %s", exc.code)

    # -- conflicts ----------------------------------------------------------------------------

    def conflicts(self, _request: LoadSignUpConflicts) -> Outcome[list[SignUpConflict]]:
        token = self._token()
        return Outcome(self._client.sign_up_conflicts(token))

    def resolve(self, request: ResolveSignUpConflict) -> Outcome[None]:
        token = self._token()
        self._client.resolve_sign_up_conflict(token, request.conflict_id, request.resolution)
        self.audit("resolved_conflict", conflict_id=request.conflict_id,
                   resolution=request.resolution)
        return Outcome(None)

    def card_reader(self, _request: LoadCardReader) -> Outcome[CardReaderInfo | None]:
        """The card reader the server has registered to this kiosk; None when it has none."""
        self._current()
        try:
            return Outcome(self._client.get_as(CardReaderInfo, "/v1/terminal/reader"))
        except CentralError as exc:
            if exc.code == "reader_not_registered":
                return Outcome(None)
            raise

    # -- this kiosk's outbox ------------------------------------------------------------------

    def _rows(self) -> list[OutboxRow]:
        return [OutboxRow(e.id, e.operation, e.state, e.attempts, e.last_error or "",
                          e.created_at, *_problem(e.response))
                for e in self._store.outbox_rows()]

    def outbox(self, _request: LoadOutbox) -> Outcome[list[OutboxRow]]:
        self._current()  # looking is not an action: it is not audited
        return Outcome(self._rows())

    def retry(self, _request: RetryOutbox) -> Outcome[list[OutboxRow]]:
        """What ``KioskWorkflow.sync_now(retry_now=True)`` does, waited for, so the list
        shown afterwards has the answers."""
        self.audit("retried_outbox")
        online = True
        try:
            self._access.ensure()
            self._sender.drain(retry_now=True)
        except CentralError as exc:
            log.info("staff retry: %s", exc.code)
            online = False
        return Outcome(self._rows(), online=online)

    def discard(self, request: DiscardOutboxEntry) -> Outcome[list[OutboxRow]]:
        member = self._current()
        if not self._store.discard(request.outbox_id, request.reason, member.id):
            raise CentralError("outbox_not_discardable", "only a failed or conflicting entry")
        return Outcome(self._rows())

    def record(self, request: RecordStaffAction) -> Outcome[None]:
        self.audit(request.action, detail=request.detail)
        return Outcome(None)
