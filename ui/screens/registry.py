"""One widget class per step name, and the table that builds each step's screen the first
time it is shown. The router reuses that one screen in every journey that has the step.

The classes are named here, not imported: a screen's module (and what it imports, the
on-screen keyboards' layouts, the validation rules) loads when the screen is first built,
so the kiosk's first screen does not wait for all forty (docs/performance.md).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping

from ui.screens.base import Screen

# "module.Class" of every screen; each class's ``name`` is the step it renders.
_CLASSES = (
    "ui.screens.attract.AttractScreen",
    "ui.screens.home.HomeScreen",
    "ui.screens.facility.FacilityScreen",
    "ui.screens.resident.ResidentScreen",
    "ui.screens.register_name.RegisterNameScreen",
    "ui.screens.register_contact.RegisterContactScreen",
    "ui.screens.register_address.RegisterAddressScreen",
    "ui.screens.register_handover.RegisterHandoverScreen",
    "ui.screens.register_pin.RegisterPinScreen",
    "ui.screens.review.ReviewScreen",
    "ui.screens.done.DoneScreen",
    "ui.screens.sign_in.SignInScreen",
    "ui.screens.forgot_pin.ForgotPinScreen",
    "ui.screens.account_home.AccountHomeScreen",
    "ui.screens.loved_one_confirm.LovedOneConfirmScreen",
    "ui.screens.loved_one_pin.LovedOnePinScreen",
    "ui.screens.deposit_amount.DepositAmountScreen",
    "ui.screens.deposit_confirm.DepositConfirmScreen",
    "ui.screens.card_entry.CardEntryScreen",
    "ui.screens.deposit_receipt.DepositReceiptScreen",
    "ui.screens.buy_plan.BuyPlanScreen",
    "ui.screens.buy_renewal.BuyRenewalScreen",
    "ui.screens.buy_terms.BuyTermsScreen",
    "ui.screens.buy_receipt.BuyReceiptScreen",
    "ui.screens.manage_list.ManageListScreen",
    "ui.screens.manage_confirm.ManageConfirmScreen",
    "ui.screens.transactions.TransactionsScreen",
    "ui.screens.refund_confirm.RefundConfirmScreen",
    "ui.screens.refund_receipt.RefundReceiptScreen",
    "ui.screens.uncovered_calls.UncoveredCallsScreen",
    "ui.screens.advisor_basis.AdvisorBasisScreen",
    "ui.screens.advisor_estimate.AdvisorEstimateScreen",
    "ui.screens.advisor_result.AdvisorResultScreen",
    "ui.screens.staff_sign_in.StaffSignInScreen",
    "ui.screens.staff_home.StaffHomeScreen",
    "ui.screens.staff_conflicts.StaffConflictsScreen",
    "ui.screens.staff_conflict_resolve.StaffConflictResolveScreen",
    "ui.screens.staff_outbox.StaffOutboxScreen",
    "ui.screens.staff_outbox_discard.StaffOutboxDiscardScreen",
    "ui.screens.staff_photo_id.StaffPhotoIdScreen",
    # Cash at the note acceptor (docs/cash.md)
    "ui.screens.cash_intro.CashIntroScreen",
    "ui.screens.cash_insert.CashInsertScreen",
    "ui.screens.cash_problem.CashProblemScreen",
    "ui.screens.cash_receipt.CashReceiptScreen",
    "ui.screens.staff_cash_box.StaffCashBoxScreen",
    "ui.screens.staff_cash_count.StaffCashCountScreen",
    "ui.screens.staff_cash_doubt.StaffCashDoubtScreen",
    "ui.screens.staff_cash_doubt_settle.StaffCashDoubtSettleScreen",
    "ui.screens.reader_deposit.ReaderDepositScreen",
    "ui.screens.reader_plan.ReaderPlanScreen",
    "ui.screens.reader_renew.ReaderRenewScreen",
    "ui.screens.renew_receipt.RenewReceiptScreen",
)


def _step_name(path: str) -> str:
    """``ui.screens.register_name.RegisterNameScreen`` renders ``register_name``: the
    module is named after the step (the registry test checks it against ``Screen.name``)."""
    return path.rsplit(".", 2)[-2]


SCREEN_PATHS: dict[str, str] = {_step_name(path): path for path in _CLASSES}


def screen_class(name: str) -> type[Screen]:
    """The widget class for the step ``name``, importing its module on first use."""
    module, _, cls = SCREEN_PATHS[name].rpartition(".")
    found = getattr(importlib.import_module(module), cls)
    if not (isinstance(found, type) and issubclass(found, Screen)):
        raise TypeError(f"{SCREEN_PATHS[name]} is not a screen")
    return found


class ScreenTable(Mapping[str, Screen]):
    """Every step's screen by name, each built by ``build`` the first time it is asked
    for. Its keys are all the steps from the start; ``in`` and ``len`` build nothing, and
    ``built()`` gives the screens that exist (what a wipe resets, what "busy" disables):
    a screen not built yet has nothing to reset.
    """

    def __init__(self, names: Iterable[str], build: Callable[[str], Screen]) -> None:
        self._names = tuple(names)
        self._build = build
        self._built: dict[str, Screen] = {}

    def __getitem__(self, name: str) -> Screen:
        screen = self._built.get(name)
        if screen is None:
            if name not in self._names:
                raise KeyError(name)
            screen = self._build(name)
            self._built[name] = screen
        return screen

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def build_next(self) -> bool:
        """Build the first screen (in journey order) not built yet; False when none was
        left to build."""
        name = next((name for name in self._names if name not in self._built), None)
        if name is None:
            return False
        self._built[name] = self._build(name)
        return True

    def built(self) -> list[Screen]:
        """The screens built so far, in the order they were built."""
        return list(self._built.values())
