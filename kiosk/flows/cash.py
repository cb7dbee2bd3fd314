"""Adding money with cash (docs/cash.md): which notes are taken, the limits and "no refund
at a kiosk" before the first note; then the notes, one at a time, each shown held and then
stacked with a running total; "Done" and the receipt. A jam, a full cashbox, a note pulled
back or the acceptor going offline each open their own screen (``cash_problem``), from
which the family finishes with what was stacked (or, after a note pulled back, goes on).

The acceptor's events are not answers to a step's request: the workflow relays them to the
GUI thread as ``CashUpdate`` values, and the window folds each into the visit's
``CashProgress`` with ``progressed`` (and shows ``cash_problem`` when ``problem_of`` says).
Staff's cash box: the count so far, "Cash box removed", then the count sent."""

from __future__ import annotations

from kiosk.domain import CashProgress, CashUpdate
from kiosk.flows import keys as k
from kiosk.flows.engine import Data, Journey, Step
from kiosk.requests import (
    FinishCash,
    LoadCashBox,
    LoadCashTerms,
    LoadNotesInDoubt,
    RemoveCashBox,
    SettleNoteInDoubt,
    StartCash,
)

# What stops a visit (each has its words on ``cash_problem``, and is a staff alert).
PROBLEMS = frozenset({"jammed", "full", "offline", "taken_back"})
STEPS = frozenset({"cash_intro", "cash_insert", "cash_problem"})


def problem_of(update: CashUpdate) -> str:
    """The problem ``update`` brings to a visit, or ""."""
    if update.kind in ("jammed", "full", "offline"):
        return update.kind
    if update.kind == "returned" and update.reason == "taken_back":
        return "taken_back"
    return ""


def progressed(progress: CashProgress, update: CashUpdate) -> CashProgress:
    """The visit after ``update``: notes held, stacked (the running total) and returned."""
    stacked, held, reading = progress.stacked, progress.held, progress.reading
    returned, problem = progress.returned, problem_of(update) or progress.problem
    match update.kind:
        case "reading":
            reading, returned = True, ""
        case "held":
            held, reading, returned = update.cents, False, ""
        case "stacked" if update.cents is not None:
            stacked, held, reading = (*stacked, update.cents), None, False
        case "returned":
            held, reading, returned = None, False, update.reason
        case "ready" if problem == "offline":
            problem = ""  # back: the family may go on
        case "jam_cleared" if problem == "jammed":
            problem = ""
    return CashProgress(stacked, held, reading, returned, problem)


def _start(data: Data) -> StartCash | None:
    terms = k.CASH_TERMS.of(data)
    return StartCash(terms.maximum_cents) if terms is not None else None


CASH = Journey(
    name="cash",
    first="cash_intro",
    steps={
        # Before the first note: the notes taken, the limits, no refund at a kiosk.
        "cash_intro": Step("cash_insert", load=lambda _d: LoadCashTerms(), submit=_start,
                           result=k.CASH_TERMS, clears=(k.CASH_PROGRESS, k.CASH_RECEIPT)),
        # Notes one at a time; "Done" ends the visit. No Back: notes stacked are added.
        "cash_insert": Step("cash_receipt", submit=lambda _d: FinishCash(),
                            result=k.CASH_RECEIPT, back=False),
        "cash_problem": Step("cash_receipt", submit=lambda _d: FinishCash(),
                             result=k.CASH_RECEIPT, back=False),
        "cash_receipt": Step("account:", back=False),
    },
)


def _remove(data: Data) -> RemoveCashBox | None:
    box = k.CASH_BOX.of(data)
    return RemoveCashBox(box.cassette) if box is not None and not box.removed else None


def _settle(data: Data) -> SettleNoteInDoubt | None:
    note, credit, reason = (k.NOTE_IN_DOUBT.of(data), k.NOTE_CREDIT.of(data),
                            k.STAFF_REASON.of(data))
    if note is None or credit is None or not reason:
        return None
    return SettleNoteInDoubt(note.key, credit, reason)


# Staff mode's cash box (steps of the staff journey, so only staff reach them): the count
# of the cassette in the unit, "Cash box removed", then the count as it was sent. Notes in
# doubt: the list, then one credited or marked not found with a reason, back to the list.
STAFF_CASH_STEPS = {
    "staff_cash_box": Step("staff_cash_count", load=lambda _d: LoadCashBox(),
                           submit=_remove, result=k.CASH_BOX),
    "staff_cash_count": Step("staff:", back=False),
    "staff_cash_doubt": Step("staff_cash_doubt_settle", provides=(k.NOTE_IN_DOUBT,),
                             load=lambda _d: LoadNotesInDoubt(), result=k.NOTES_IN_DOUBT),
    "staff_cash_doubt_settle": Step("staff_cash_doubt",
                                    provides=(k.NOTE_CREDIT, k.STAFF_REASON),
                                    submit=_settle, result=k.NOTES_IN_DOUBT),
}
