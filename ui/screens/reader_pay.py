"""Paying on the kiosk's card reader (docs/devices.md "The card reader"): the amount, the
family's consent to keep the card for renewals, then "Insert, tap or swipe your card" with
Cancel while the reader works, its states in plain words, and a way to try again or go
back. The kiosk never reads the card: no card-number field is shown here. The deposit's,
the plan's and renew-now's screens (``reader_deposit``, ``reader_plan``, ``reader_renew``)
say what is paid for and what the approved payment completes with."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.devices.reader_events import (
    ReaderChanged,
    ReaderLost,
    ReaderRefused,
    ReaderUnreachable,
)
from kiosk.domain import CardView, ReaderPayment, Refusal
from kiosk.flows.reader import may_type_card
from kiosk.requests import CancelReaderPayment
from ui.card_text import card_text
from ui.formats import money
from ui.messages import message_for
from ui.screens.base import Screen
from ui.widgets.common import TOUCH_MIN, touch_button


class Phase(enum.Enum):
    READY = "ready"  # the amount and the consent; "Pay on the card reader"
    STARTING = "starting"  # asked the reader to start; its first state not known yet
    COLLECTING = "collecting"  # the reader waits for the card, or reads it: Cancel
    ENDED = "ended"  # it ended without paying (or could not start): try again or go back


# Endings where paying again is not the answer: the plan started meanwhile, the card was
# approved, or the outcome is not known yet.
NO_RETRY = frozenset({"already_subscribed", "already_renewed", "reader_paid_not_shown",
                      "reader_lost"})


def tr(text: str) -> str:
    return QCoreApplication.translate("ReaderPayScreen", text)


class ConsentWords(QLabel):
    """The words of a consent box, wrapped; touching them ticks or clears the box."""

    def __init__(self, box: QCheckBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subtitle")
        self.setWordWrap(True)
        self._box = box

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._box.toggle()
        event.accept()


class ReaderPayScreen(Screen):
    """Signals: request_made(the payment's request, or CancelReaderPayment);
    completed() with what the approved payment bought in ``values()``;
    jump_requested(``back_step``) to go back, or ("card_entry") for staff typing a card.

    Subclasses give ``amount_cents``, ``start_request``, ``completion`` and their words."""

    back_step = ""  # where "Go back" goes: the step that showed the quote

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phase = Phase.READY
        self.payment: ReaderPayment | None = None
        self.ended_code = ""  # why it ended: a reader state or a problem code
        self.data: Mapping[str, Any] = {}
        self._payment_id: str | None = None
        self._done: dict[str, Any] = {}
        self.amount = QLabel(self)
        self.amount.setObjectName("title")
        self.amount.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        # The consent's words wrap (a QCheckBox's own text never does): a touch on them
        # ticks the box too.
        self.keep_card = QCheckBox(self)
        self.keep_card.setObjectName("keepCard")
        self.keep_card.setMinimumHeight(TOUCH_MIN)
        self.keep_card.toggled.connect(lambda _on: self._show_buttons())
        self.keep_card_words = ConsentWords(self.keep_card, self)
        consent = QHBoxLayout()
        consent.setSpacing(12)
        consent.addWidget(self.keep_card, 0, Qt.AlignmentFlag.AlignTop)
        consent.addWidget(self.keep_card_words, 1)
        self.pay_button = touch_button("primaryButton", self)
        self.pay_button.clicked.connect(self._pay)
        self.cancel_button = touch_button("secondaryButton", self)
        self.cancel_button.clicked.connect(self._cancel)
        self.back_button = touch_button("secondaryButton", self)
        self.back_button.clicked.connect(lambda: self.jump_requested.emit(self.back_target()))
        self.type_button = touch_button("secondaryButton", self)
        self.type_button.clicked.connect(lambda: self.jump_requested.emit("card_entry"))
        self.action_button = self.pay_button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(96, 16, 96, 20)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.amount)
        layout.addWidget(self.status)
        layout.addLayout(consent)
        layout.addStretch(1)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy_indicator)
        layout.addWidget(self.pay_button)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.back_button)
        layout.addWidget(self.type_button)

    # -- what a subclass says ---------------------------------------------------------------

    def amount_cents(self) -> int | None:
        raise NotImplementedError

    def start_request(self, save_card: bool) -> object | None:
        raise NotImplementedError

    def completion(self, payment: ReaderPayment) -> dict[str, Any] | None:
        """What the approved ``payment`` completes the step with; None when it bought
        nothing the kiosk can show (the screen then says why)."""
        raise NotImplementedError

    def must_keep_card(self) -> bool:
        """The card must be kept to pay (automatic renewal charges the card on file)."""
        return False

    def ready_title(self) -> str:
        raise NotImplementedError

    def ready_note(self) -> str:
        """The line under the title before paying: what the total is made of, where known."""
        return tr("You pay on the card reader beside this screen.")

    def keep_card_text(self) -> str:
        return tr("Keep this card on file for automatic renewals. You can remove it at any"
                  " time.")

    def back_target(self) -> str:
        return self.back_step

    def refunded_code(self) -> str:
        """Why an approved card bought nothing (it is refunded): the problem code whose
        words the screen shows."""
        return "already_subscribed"

    # -- the screen -------------------------------------------------------------------------

    def show_data(self, data: Mapping[str, Any]) -> None:
        # Also called when the start's answer comes: the phase is the reader's to change.
        self.data = data
        self.retranslateUi()

    def first_focus(self) -> QWidget | None:
        if self.phase in (Phase.STARTING, Phase.COLLECTING):
            return self.cancel_button
        return self.pay_button

    def values(self) -> dict[str, Any]:
        done, self._done = self._done, {}
        return done

    def reset(self) -> None:
        self.phase = Phase.READY
        self.payment = None
        self.ended_code = ""
        self._payment_id = None
        self._done = {}
        self.data = {}
        self.keep_card.setChecked(False)
        super().reset()
        self.retranslateUi()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self._show_buttons()

    def show_refusal(self, refusal: Refusal) -> None:
        if self.phase is Phase.STARTING:
            # The reader could not be asked (not open yet, still finishing a payment).
            self._end(refusal.code)
            return
        super().show_refusal(refusal)

    def _pay(self) -> None:
        if self.must_keep_card() and not self.keep_card.isChecked():
            self.show_problem("save_card_required")
            return
        request = self.start_request(self.keep_card.isChecked())
        if request is None:
            self.show_problem("required")
            return
        self.clear_problems()
        self.phase = Phase.STARTING
        self.payment = None
        self.ended_code = ""
        self._payment_id = None
        self.retranslateUi()
        self.request_made.emit(request)
        self.cancel_button.setFocus()

    def _go_back(self) -> None:
        self._leave(self.back_target())

    def _leave(self, step: str) -> None:
        target = step  # read before the reset: where to go may depend on how it ended
        self.try_again()
        self.jump_requested.emit(target)

    def _cancel(self) -> None:
        if self.phase in (Phase.STARTING, Phase.COLLECTING):
            self.request_made.emit(CancelReaderPayment())

    def try_again(self) -> None:
        self.phase = Phase.READY
        self.ended_code = ""
        self.payment = None
        self.clear_problems()
        self.retranslateUi()

    def take_device_event(self, event: object) -> None:
        if self.phase not in (Phase.STARTING, Phase.COLLECTING):
            return  # not this screen's payment (one that ended, or none)
        if isinstance(event, ReaderChanged):
            payment = event.payment
            if self._payment_id is None:
                self._payment_id = payment.id
            elif payment.id != self._payment_id:
                return
            self.payment = payment
            if not payment.final:
                self.phase = Phase.COLLECTING
                self.retranslateUi()
                return
            if payment.state == "approved":
                done = None if payment.refunded else self.completion(payment)
                if done is None:
                    self._end(self.refunded_code() if payment.refunded
                              else "reader_paid_not_shown")
                    return
                self.phase = Phase.READY
                self._done = done
                self.retranslateUi()
                self.completed.emit()
                return
            self._end(payment.decline_code if payment.state == "declined"
                      and payment.decline_code else payment.state)
        elif isinstance(event, ReaderRefused):
            self._end(event.code)
        elif isinstance(event, ReaderUnreachable):
            self.status.setText(tr("Checking with the server..."))
        elif isinstance(event, ReaderLost):
            self._end("reader_lost")

    def _end(self, code: str) -> None:
        self.phase = Phase.ENDED
        self.ended_code = code
        self.retranslateUi()
        self.problem_shown.emit(self.status.text())

    # -- words ------------------------------------------------------------------------------

    def _ended_words(self, code: str) -> str:
        words = {
            "declined": tr("Your card was declined, so nothing was charged."),
            "card_removed": tr("The card was taken out too early, so nothing was charged."
                               " Please try again and leave it in until the reader says"
                               " to take it out."),
            "timed_out": tr("No card was presented in time, so nothing was charged."),
            "canceled": tr("The payment was canceled. Nothing was charged."),
            "reader_offline": tr("The card reader is not connected, so nothing was charged."
                                 " Please ask staff for help."),
            "reader_lost": tr("We lost touch with the server, so we can't say yet whether"
                              " your card was charged. It is never charged twice: your"
                              " account will show the payment if it went through."),
            "reader_paid_not_shown": tr("Your card was approved. It can take a minute to"
                                        " show on your account."),
        }
        return words.get(code) or message_for(code)

    def _show_buttons(self) -> None:
        ready = self.phase is Phase.READY
        ended = self.phase is Phase.ENDED
        busy = self.busy_indicator.isVisible()
        self.keep_card.setVisible(ready)
        self.keep_card_words.setVisible(ready)
        self.amount.setVisible(not ready)
        retry = ended and self.ended_code not in NO_RETRY
        self.pay_button.setVisible(ready or retry)
        self.pay_button.setEnabled(not busy and self.amount_cents() is not None)
        self.cancel_button.setVisible(self.phase in (Phase.STARTING, Phase.COLLECTING))
        self.back_button.setVisible(ready or ended)
        self.type_button.setVisible((ready or ended) and may_type_card(self.data))

    def retranslateUi(self) -> None:
        cents = self.amount_cents()
        amount = money(cents) if cents is not None else ""
        self.keep_card_words.setText(self.keep_card_text())
        self.keep_card.setAccessibleName(self.keep_card_words.text())
        self.cancel_button.setText(tr("Cancel"))
        self.back_button.setText(tr("Go back"))
        self.type_button.setText(tr("Type a card number (staff)"))
        if self.phase is Phase.READY:
            self.title.setText(self.ready_title())
            self.amount.setText("")  # the Pay button says it: room for the consent
            self.status.setText(self.ready_note())
            self.pay_button.setText(tr("Pay {amount} on the card reader").format(
                amount=amount))
        elif self.phase is Phase.STARTING:
            self.title.setText(tr("Insert, tap or swipe your card"))
            self.amount.setText(amount)
            self.status.setText(tr("Starting the card reader..."))
        elif self.phase is Phase.COLLECTING:
            self.title.setText(tr("Insert, tap or swipe your card"))
            # The amount the family agreed to (the payment's own, should the quote be gone).
            shown = cents if cents is not None else (
                self.payment.amount_cents if self.payment is not None else None)
            self.amount.setText(money(shown) if shown is not None else "")
            if self.payment is not None and self.payment.state == "reading":
                self.status.setText(tr("Reading your card. Please leave it in the reader."))
            else:
                self.status.setText(tr("The card reader is ready: insert, tap or swipe your"
                                       " card on it."))
        else:
            self.title.setText(tr("Your card was not charged")
                               if self.ended_code != "reader_lost"
                               else tr("We can't tell yet"))
            self.amount.setText(amount)
            self.status.setText(self._ended_words(self.ended_code))
            self.pay_button.setText(tr("Try again"))
        self.pay_button.setAccessibleName(self.pay_button.text())
        self.cancel_button.setAccessibleName(tr("Cancel the payment"))
        self.back_button.setAccessibleName(self.back_button.text())
        self.type_button.setAccessibleName(self.type_button.text())
        self.status.setAccessibleName(self.status.text())
        self._show_buttons()
        super().retranslateUi()


def approved_card(payment: ReaderPayment) -> CardView | None:
    """The card the reader read, as the receipt shows it ("Visa ending in 4242")."""
    if not payment.last4:
        return None
    return CardView(payment.brand, payment.last4)


def approved_card_text(payment: ReaderPayment) -> str:
    card = approved_card(payment)
    return card_text(card) if card is not None else ""
