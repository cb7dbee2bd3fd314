"""AdvanceConnect and cards: the server's quote, the deposit charged to the card on file,
a typed card turned into a gateway token and put on file at once, the recent transactions
and a request to refund the balance."""

from __future__ import annotations

from domain import CardView, DepositQuote, DepositReceipt, RefundView, TransactionsView
from kiosk.capabilities import Outcome
from kiosk.capabilities.access import KioskAccess
from kiosk.capabilities.family import FamilySessions
from kiosk.requests import Deposit, LoadTransactions, QuoteDeposit, RequestRefund, SaveCard
from services.central_client import CentralClient


class Money:
    def __init__(
        self, client: CentralClient, access: KioskAccess, family: FamilySessions
    ) -> None:
        self._client = client
        self._access = access
        self._family = family

    def quote(self, request: QuoteDeposit) -> Outcome[DepositQuote]:
        return Outcome(self._client.quote_deposit(self._family.current(), request.amount_cents))

    def deposit(self, request: Deposit) -> Outcome[DepositReceipt]:
        return Outcome(self._client.deposit(
            self._family.current(), request.amount_cents, request.total_cents, request.key
        ))

    def save_card(self, request: SaveCard) -> Outcome[CardView]:
        session = self._family.current()
        self._access.ensure()
        token = self._client.tokenize_card(
            request.number, request.exp_month, request.exp_year, request.cvc
        )
        return Outcome(self._client.add_card(session, token, request.key))

    def transactions(self, request: LoadTransactions) -> Outcome[TransactionsView]:
        session = self._family.current()
        # Dates are the facility's: its time zone comes with its detail.
        timezone = self._client.facility_detail(request.facility_id).timezone
        page = self._client.transactions(session)
        return Outcome(TransactionsView(page.balance_cents, page.transactions, timezone))

    def refund(self, request: RequestRefund) -> Outcome[RefundView]:
        return Outcome(self._client.request_refund(self._family.current(), request.key))
