"""One widget class per step name; the router builds one of each and reuses it in every
journey that has that step."""

from __future__ import annotations

from ui.screens.account_home import AccountHomeScreen
from ui.screens.advisor_basis import AdvisorBasisScreen
from ui.screens.advisor_estimate import AdvisorEstimateScreen
from ui.screens.advisor_result import AdvisorResultScreen
from ui.screens.attract import AttractScreen
from ui.screens.base import Screen
from ui.screens.buy_plan import BuyPlanScreen
from ui.screens.buy_receipt import BuyReceiptScreen
from ui.screens.buy_renewal import BuyRenewalScreen
from ui.screens.buy_terms import BuyTermsScreen
from ui.screens.card_entry import CardEntryScreen
from ui.screens.deposit_amount import DepositAmountScreen
from ui.screens.deposit_confirm import DepositConfirmScreen
from ui.screens.deposit_receipt import DepositReceiptScreen
from ui.screens.done import DoneScreen
from ui.screens.facility import FacilityScreen
from ui.screens.forgot_pin import ForgotPinScreen
from ui.screens.home import HomeScreen
from ui.screens.loved_one_confirm import LovedOneConfirmScreen
from ui.screens.loved_one_pin import LovedOnePinScreen
from ui.screens.manage_confirm import ManageConfirmScreen
from ui.screens.manage_list import ManageListScreen
from ui.screens.refund_confirm import RefundConfirmScreen
from ui.screens.refund_receipt import RefundReceiptScreen
from ui.screens.register_address import RegisterAddressScreen
from ui.screens.register_contact import RegisterContactScreen
from ui.screens.register_name import RegisterNameScreen
from ui.screens.register_pin import RegisterPinScreen
from ui.screens.resident import ResidentScreen
from ui.screens.review import ReviewScreen
from ui.screens.sign_in import SignInScreen
from ui.screens.staff_conflict_resolve import StaffConflictResolveScreen
from ui.screens.staff_conflicts import StaffConflictsScreen
from ui.screens.staff_home import StaffHomeScreen
from ui.screens.staff_outbox import StaffOutboxScreen
from ui.screens.staff_outbox_discard import StaffOutboxDiscardScreen
from ui.screens.staff_photo_id import StaffPhotoIdScreen
from ui.screens.staff_sign_in import StaffSignInScreen
from ui.screens.transactions import TransactionsScreen
from ui.screens.uncovered_calls import UncoveredCallsScreen

SCREENS: dict[str, type[Screen]] = {
    cls.name: cls
    for cls in (
        AttractScreen,
        HomeScreen,
        FacilityScreen,
        ResidentScreen,
        RegisterNameScreen,
        RegisterContactScreen,
        RegisterAddressScreen,
        RegisterPinScreen,
        ReviewScreen,
        DoneScreen,
        SignInScreen,
        ForgotPinScreen,
        AccountHomeScreen,
        LovedOneConfirmScreen,
        LovedOnePinScreen,
        DepositAmountScreen,
        DepositConfirmScreen,
        CardEntryScreen,
        DepositReceiptScreen,
        BuyPlanScreen,
        BuyRenewalScreen,
        BuyTermsScreen,
        BuyReceiptScreen,
        ManageListScreen,
        ManageConfirmScreen,
        TransactionsScreen,
        RefundConfirmScreen,
        RefundReceiptScreen,
        UncoveredCallsScreen,
        AdvisorBasisScreen,
        AdvisorEstimateScreen,
        AdvisorResultScreen,
        StaffSignInScreen,
        StaffHomeScreen,
        StaffConflictsScreen,
        StaffConflictResolveScreen,
        StaffOutboxScreen,
        StaffOutboxDiscardScreen,
        StaffPhotoIdScreen,
    )
}
