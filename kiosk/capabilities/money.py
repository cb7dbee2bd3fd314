"""AdvanceConnect and cards: the server's quote, the deposit charged to the card on file,
a typed card turned into a gateway token and put on file at once, the recent transactions
and a request to refund the balance."""

from __future__ import annotations

from kiosk.capabilities import Outcome
from kiosk.capabilities.access import KioskAccess
from kiosk.capabilities.family import FamilySessions
from kiosk.domain import (
    CardView,
    DepositQuote,
    DepositReceipt,
    RefundView,
    TransactionsView,
    TransactionView,
)
from kiosk.requests import Deposit, LoadTransactions, QuoteDeposit, RequestRefund, SaveCard
from services.accounts import card_view
from services.central_client import CentralClient


class Money:
    def __init__(
        self, client: CentralClient, access: KioskAccess, family: FamilySessions
    ) -> None:
        self._client = client
        self._access = access
        self._family = family

    def quote(self, request: QuoteDeposit) -> Outcome[DepositQuote]:
        body = self._client.quote_deposit(self._family.current(), request.amount_cents)
        return Outcome(
            DepositQuote(
                amount_cents=int(body["amount_cents"]),
                fee_cents=int(body["fee_cents"]),
                total_cents=int(body["total_cents"]),
                minimum_cents=int(body["minimum_cents"]),
                maximum_cents=int(body["maximum_cents"]),
            )
        )

    def deposit(self, request: Deposit) -> Outcome[DepositReceipt]:
        body = self._client.deposit(
            self._family.current(), request.amount_cents, request.total_cents, request.key
        )
        return Outcome(
            DepositReceipt(
                reference=str(body["transaction_id"]),
                amount_cents=int(body["amount_cents"]),
                fee_cents=int(body["fee_cents"]),
                total_cents=int(body["total_cents"]),
                balance_cents=int(body["balance_cents"]),
                card=card_view(body["card"]),
            )
        )

    def save_card(self, request: SaveCard) -> Outcome[CardView]:
        session = self._family.current()
        self._access.ensure()
        token = self._client.tokenize_card(
            request.number, request.exp_month, request.exp_year, request.cvc
        )
        return Outcome(card_view(self._client.add_card(session, token, request.key)))

    def transactions(self, request: LoadTransactions) -> Outcome[TransactionsView]:
        session = self._family.current()
        # Dates are the facility's: its time zone comes with its detail.
        timezone = str(self._client.facility_detail(request.facility_id)["timezone"])
        body = self._client.transactions(session)
        return Outcome(TransactionsView(
            balance_cents=int(body["balance_cents"]),
            transactions=tuple(
                TransactionView(str(t["id"]), str(t["kind"]), int(t["amount_cents"]),
                                str(t["description"]), str(t["created_at"]))
                for t in body["transactions"]
            ),
            timezone=timezone,
        ))

    def refund(self, request: RequestRefund) -> Outcome[RefundView]:
        body = self._client.request_refund(self._family.current(), request.key)
        return Outcome(RefundView(
            reference=str(body["transaction_id"]),
            amount_cents=int(body["amount_cents"]),
            balance_cents=int(body["balance_cents"]),
            status=str(body["status"]),
            created_at=str(body["created_at"]),
        ))
