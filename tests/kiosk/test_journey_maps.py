"""Every journey's map, walked without widgets: the order a family meets the steps, where
problems are fixed, and that every step and every successor exists."""

from __future__ import annotations

from kiosk.domain import (
    AccountView,
    Address,
    CardView,
    DepositQuote,
    FacilitySummary,
    Language,
    LovedOne,
    PlanView,
    RegistrationOutcome,
    RegistrationResult,
    ResidentMatch,
    SubscriptionQuote,
    SubscriptionView,
)
from kiosk.flows.catalog import JOURNEYS, new_flow, step_names
from kiosk.flows.engine import Flow
from kiosk.requests import (
    AddLovedOne,
    AdviseFromEstimate,
    AdviseFromHistory,
    BuySubscription,
    Deposit,
    LoadAccount,
    LoadFacilities,
    LoadPlans,
    LoadRates,
    LoadTransactions,
    ManageSubscription,
    QueueLovedOne,
    QuoteDeposit,
    QuoteSubscription,
    Register,
    RequestRefund,
    SaveCard,
    SignIn,
)

FACILITY = FacilitySummary("fac-1", "Travis County Jail", "TX", "America/Chicago", True, True)
RESIDENT = ResidentMatch("res-1", "Marcus J. Rivera", "2024-118734")
ADDRESS = Address("1401 E 7th St", "Austin", "TX", "78702")
ENTRIES = {
    "facility": {"facility": FACILITY},
    "resident": {"resident": RESIDENT},
    "register_name": {"first_name": "Angela", "last_name": "Rivera"},
    "register_contact": {"phone": "+15125550142", "email": "a@example.com"},
    "register_address": {"address": ADDRESS},
    "register_pin": {"pin": "5820"},
}


def _walk_registration(f: Flow) -> list[str]:
    f.advance()
    f.record({"choice": "register"})
    seen = [f.advance() or ""]
    while f.step_name != "review":
        f.record(ENTRIES[f.step_name])
        seen.append(f.advance() or "")
    return seen


def test_every_successor_names_a_real_step() -> None:
    for journey in JOURNEYS.values():
        assert journey.first in journey.steps
        for name, step in journey.steps.items():
            if isinstance(step.next, str):
                target = step.next
                if ":" in target:
                    other, _, inner = target.partition(":")
                    assert other in JOURNEYS, (journey.name, name)
                    assert not inner or inner in JOURNEYS[other].steps
                else:
                    assert target in journey.steps, (journey.name, name)
    assert len(step_names()) == len(set(step_names()))


def test_registration_order_and_request() -> None:
    f = new_flow()
    assert _walk_registration(f) == [
        "facility", "resident", "register_name", "register_contact", "register_address",
        "register_pin", "review",
    ]
    load = JOURNEYS["register"].steps["facility"].load
    assert load is not None and isinstance(load(f.data), LoadFacilities)
    submit = f.step.submit
    assert submit is not None
    request = submit({**f.data, "language": Language.SPANISH})
    assert isinstance(request, Register)
    assert request.registration.pin == "5820"
    assert request.registration.language is Language.SPANISH
    assert "5820" not in repr(request)
    assert JOURNEYS["register"].progress("register_contact") == (4, 7)


def test_review_is_incomplete_without_every_step() -> None:
    submit = JOURNEYS["register"].steps["review"].submit
    assert submit is not None
    assert submit({"facility": FACILITY}) is None


def test_a_new_facility_means_finding_the_loved_one_again() -> None:
    f = new_flow()
    _walk_registration(f)
    f.revisit("facility")
    f.record({"facility": FacilitySummary("fac-2", "Bexar", "TX", "America/Chicago", True, True)})
    assert f.advance() == "resident"
    f.record({"resident": RESIDENT})
    assert f.advance() == "review"


def test_server_problems_are_fixed_where_the_field_is() -> None:
    journey = JOURNEYS["register"]
    assert journey.fix_step("phone_registered", "phone") == "register_contact"
    assert journey.fix_step("resident_unknown", "") == "resident"
    assert journey.fix_step("offline", "") is None


def test_the_pin_is_sensitive() -> None:
    f = new_flow()
    _walk_registration(f)
    assert f.scrubbed()["pin"] != "5820"
    f.forget_sensitive()
    assert "pin" not in f.data


def test_sign_up_lands_on_the_account_when_signed_in() -> None:
    f = new_flow()
    _walk_registration(f)
    f.record({"registration": RegistrationResult(RegistrationOutcome.CREATED, "a-1", True)})
    assert f.advance() == "account_home"
    assert not f.can_go_back  # the signed-in home is where that session now starts
    f.wipe()
    _walk_registration(f)
    f.record({"registration": RegistrationResult(RegistrationOutcome.QUEUED)})
    assert f.advance() == "done"
    assert f.advance() is None  # Finish ends the session


def test_sign_in_then_home_then_sign_out() -> None:
    f = new_flow()
    f.advance()
    f.record({"choice": "sign_in"})
    assert f.advance() == "sign_in"
    assert f.jump("forgot_pin") == "forgot_pin"
    assert f.advance() == "sign_in"
    assert f.back() == "home"  # "forgot" was closed when sign-in came back
    f.jump("sign_in:")
    submit = f.step.submit
    assert submit is not None and submit(f.data) is None  # nothing typed yet
    f.record({"phone": "+17135550150", "pin": "4826"})
    request = submit(f.data)
    assert isinstance(request, SignIn) and "4826" not in repr(request)
    assert f.advance() == "account_home"
    load = f.step.load
    assert load is not None and isinstance(load(f.data), LoadAccount)
    assert f.advance() is None  # the home's own decision is Sign out


def test_a_known_phone_at_sign_up_can_switch_to_sign_in() -> None:
    f = new_flow()
    _walk_registration(f)
    f.revisit("register_contact")
    assert f.jump("sign_in:") == "sign_in"
    assert f.data["phone"] == "+15125550142"  # kept, so the screen can offer it
    assert f.back() == "register_contact"


def test_deposit_quote_new_card_pay_receipt_home() -> None:
    f = new_flow()
    f.jump("account:")
    assert f.jump("deposit:") == "deposit_amount"
    load = f.step.load
    assert load is not None and isinstance(load(f.data), QuoteDeposit)
    f.record({"amount_cents": 2000})
    quote_request = f.step.submit(f.data) if f.step.submit else None
    assert isinstance(quote_request, QuoteDeposit) and quote_request.amount_cents == 2000
    f.record({"deposit_quote": DepositQuote(2000, 195, 2195, 500, 30000)})
    assert f.advance() == "deposit_confirm"
    assert f.jump("card_entry") == "card_entry"
    f.record({"card_number": "4242424242424242", "card_expiry": (12, 2030), "card_cvc": "123",
              "card_zip": "77002"})
    save = f.step.submit(f.data) if f.step.submit else None
    assert isinstance(save, SaveCard) and "4242424242424242" not in repr(save)
    assert "4242424242424242" not in str(f.scrubbed())
    f.forget_sensitive()
    assert "card_number" not in f.data and "card_cvc" not in f.data
    assert f.advance() == "deposit_confirm"
    assert f.back() == "deposit_amount"  # the card step was closed, not stacked
    f.advance()
    pay = f.step.submit(f.data) if f.step.submit else None
    assert isinstance(pay, Deposit) and (pay.amount_cents, pay.total_cents) == (2000, 2195)
    assert f.advance() == "deposit_receipt" and not f.can_go_back
    assert f.advance() == "account_home"
    assert not f.can_go_back


def test_deposit_problems_are_fixed_on_the_amount_step() -> None:
    assert JOURNEYS["deposit"].fix_step("invalid_input", "amount_cents") == "deposit_amount"
    assert JOURNEYS["deposit"].fix_step("card_declined", "") is None


def test_buy_plan_renewal_terms_then_receipt() -> None:
    account = AccountView(
        "a-1", "Rosa", "Martínez", 0, (LovedOne("harbor-county-jail", "r-1", "José"),), (),
        CardView("visa", "4242", "pm-1"),
    )
    f = new_flow()
    f.jump("account:")
    f.record({"account": account})
    assert f.jump("buy:") == "buy_plan"
    load = f.step.load
    plans = load(f.data) if load else None
    assert isinstance(plans, LoadPlans) and plans.facility_id == "harbor-county-jail"
    f.record({"plan": PlanView("p-1", "call", "Calls", 4500, 100)})
    assert f.advance() == "buy_renewal"
    f.record({"renewal_mode": "auto"})
    quote_request = f.step.submit(f.data) if f.step.submit else None
    assert isinstance(quote_request, QuoteSubscription) and quote_request.plan_id == "p-1"
    quote = SubscriptionQuote("p-1", "Calls", "call", 4500, 100, True, "", "auto", "", "",
                              "terms-1", "No refunds.")
    f.record({"subscription_quote": quote})
    assert f.advance() == "buy_terms"
    buy = f.step.submit
    assert buy is not None and buy(f.data) is None  # the terms are not accepted yet
    f.record({"terms_accepted": "terms-1"})
    bought = buy(f.data)
    assert isinstance(bought, BuySubscription)
    assert (bought.payment_method_id, bought.terms_version) == ("pm-1", "terms-1")
    assert bought.quoted_total_cents == 4500  # the price the family saw goes along
    # A price changed since: back to the renewal choice, which asks for the new quote.
    assert f.journey.fix_step("quote_changed", "quoted_total_cents") == "buy_renewal"
    assert f.advance() == "buy_receipt" and not f.can_go_back
    assert f.advance() == "account_home"


def test_manage_change_confirm_and_back_to_the_list() -> None:
    sub = SubscriptionView("s-1", "Calls", "calls", 100, 3, 97, "2026-02-15T17:00:00+00:00",
                           "manual", False)
    account = AccountView("a-1", "Rosa", "M", 0, (), (sub,), CardView("visa", "4242", "pm-1"))
    f = new_flow()
    f.jump("account:")
    assert f.jump("manage:") == "manage_list"
    load = f.step.load
    assert load is not None and isinstance(load(f.data), LoadAccount)
    f.record({"account": account, "manage_action": ("s-1", "renewal_auto")})
    assert f.advance() == "manage_confirm"
    change = f.step.submit(f.data) if f.step.submit else None
    assert isinstance(change, ManageSubscription)
    assert (change.subscription_id, change.action, change.payment_method_id) == (
        "s-1", "renewal_auto", "pm-1")
    assert f.advance() == "manage_list"
    assert f.back() == "account_home"  # the confirmation was closed, not stacked
    f.jump("manage:")
    assert f.jump("card_entry") == "card_entry"
    assert f.advance() == "manage_list"


def test_calls_not_covered_loads_the_loved_ones_facility_rates() -> None:
    account = AccountView("a-1", "Rosa", "M", 0, (LovedOne("fac-9", "r-1", "José"),), ())
    f = new_flow()
    f.jump("account:")
    f.record({"account": account})
    assert f.jump("uncovered:") == "uncovered_calls"
    load = f.step.load
    rates = load(f.data) if load else None
    assert isinstance(rates, LoadRates) and rates.facility_id == "fac-9"
    assert f.advance() == "account_home"


def test_advisor_estimate_then_result_then_home() -> None:
    f = new_flow()
    f.jump("account:")
    assert f.jump("advisor:") == "advisor_basis"
    f.record({"advisor_basis": "estimate"})
    assert f.advance() == "advisor_estimate"
    submit = f.step.submit
    assert submit is not None and submit(f.data) is None
    f.record({"calls_per_month": 40, "average_minutes": 15, "video_sessions_per_month": 2})
    request = submit(f.data)
    assert isinstance(request, AdviseFromEstimate) and request.average_minutes == 15
    assert f.advance() == "advisor_result"
    load = f.step.load
    assert load is not None and load(f.data) is None  # the estimate's answer came with it
    assert f.back() == "advisor_estimate"
    f.advance()
    assert f.advance() == "account_home"


def test_advisor_from_history_asks_on_showing_the_result() -> None:
    f = new_flow()
    f.jump("account:")
    f.jump("advisor:")
    f.record({"advisor_basis": "history"})
    assert f.advance() == "advisor_result"  # no estimate to type
    load = f.step.load
    assert load is not None and isinstance(load(f.data), AdviseFromHistory)
    # No full month yet: the family goes on to their own estimate; its answer is kept.
    assert f.jump("advisor_estimate") == "advisor_estimate"
    f.record({"calls_per_month": 10, "average_minutes": 10, "video_sessions_per_month": 0})
    f.record({"advice": "estimate advice"})
    assert f.advance() == "advisor_result"
    assert load(f.data) is None
    # Choosing the other basis again drops the advice priced on this one.
    f.jump("advisor_basis")
    f.record({"advisor_basis": "estimate"})
    assert "advice" not in f.data


LOVED_ONE = LovedOne("fac-1", "res-0", "Rivera, Marcus")
HOME = AccountView("a-1", "Rosa", "M", 1250, (LOVED_ONE,), ())


def test_add_a_loved_one_reuses_the_sign_up_search_then_confirms() -> None:
    f = new_flow()
    f.jump("account:")
    f.record({"account": HOME})
    assert f.jump("add_loved_one:") == "facility"
    load = f.step.load
    assert load is not None and isinstance(load(f.data), LoadFacilities)
    f.record({"facility": FACILITY})
    assert f.advance() == "resident"
    f.record({"resident": RESIDENT})
    assert f.advance() == "loved_one_confirm"
    assert f.journey.progress("loved_one_confirm") is None  # no "Step N of M" here
    submit = f.step.submit
    request = submit(f.data) if submit else None
    assert isinstance(request, AddLovedOne)
    assert (request.facility_id, request.resident_id) == ("fac-1", "res-1")
    assert f.step.result == "account"  # the answer is the account the home shows
    assert f.advance() == "account_home"


def test_offline_a_loved_one_is_confirmed_with_the_pin_and_queued() -> None:
    """docs/offline.md, "A loved one added offline": the confirm step's link could not reach
    the server; the PIN step queues it, and the PIN is forgotten like any other."""
    f = new_flow()
    f.jump("account:")
    f.record({"account": HOME})
    f.jump("add_loved_one:")
    f.record({"facility": FACILITY, "resident": RESIDENT})
    f.advance()
    f.advance()
    assert f.step_name == "loved_one_confirm"
    journey = JOURNEYS["add_loved_one"]
    assert journey.offline_step == "loved_one_pin"
    assert f.jump(journey.offline_step) == "loved_one_pin"
    assert f.back() == "loved_one_confirm"  # Back: the confirmation, to try again
    f.jump(journey.offline_step)
    submit = f.step.submit
    assert submit is not None and submit(f.data) is None  # no PIN yet
    f.record({"link_pin": "4826"})
    request = submit(f.data)
    assert isinstance(request, QueueLovedOne)
    assert (request.facility_id, request.resident_id, request.resident_name) == (
        "fac-1", "res-1", "Marcus J. Rivera")
    assert request.account is HOME and request.pin == "4826"
    assert "4826" not in repr(request)
    assert f.scrubbed()["link_pin"] != "4826"
    f.forget_sensitive()
    assert "link_pin" not in f.data
    assert f.step.result == "account" and f.advance() == "account_home"
    # Journeys whose requests cannot wait have no such step.
    assert [j.name for j in JOURNEYS.values() if j.offline_step] == ["add_loved_one"]


def test_add_a_loved_one_needs_both_and_a_new_facility_drops_the_resident() -> None:
    f = new_flow()
    f.jump("account:")
    f.jump("add_loved_one:")
    f.record({"facility": FACILITY, "resident": RESIDENT})
    other = FacilitySummary("fac-2", "Other", "TX", "America/Chicago", True, True)
    f.record({"facility": other})
    assert "resident" not in f.data
    f.advance()
    f.advance()
    assert f.step_name == "loved_one_confirm"
    submit = f.step.submit
    assert submit is not None and submit(f.data) is None
    journey = JOURNEYS["add_loved_one"]
    assert journey.fix_step("resident_already_linked", "resident_id") == "resident"
    assert journey.fix_step("resident_unknown", "") == "resident"
    assert journey.fix_step("facility_unknown", "") == "facility"
    assert journey.fix_step("too_many_residents", "") is None  # told on the confirm screen


def test_payments_list_then_refund_confirm_then_receipt_then_home() -> None:
    f = new_flow()
    f.jump("account:")
    f.record({"account": HOME})
    f.jump("manage:")
    assert f.jump("payments:") == "transactions"
    load = f.step.load
    request = load(f.data) if load else None
    # Dated in the time zone of the facility of the first loved one.
    assert isinstance(request, LoadTransactions) and request.facility_id == "fac-1"
    assert f.advance() == "refund_confirm"
    submit = f.step.submit
    first, second = (submit(f.data), submit(f.data)) if submit else (None, None)
    assert isinstance(first, RequestRefund) and isinstance(second, RequestRefund)
    assert first.key != second.key  # each "Yes" is its own request; a retry reuses its key
    assert f.back() == "transactions"
    f.advance()
    assert f.advance() == "refund_receipt"
    assert not f.can_go_back  # no way back into a request that was made
    assert f.advance() == "account_home"


def test_payments_without_a_loved_one_loads_nothing() -> None:
    f = new_flow()
    f.jump("account:")
    f.record({"account": AccountView("a-1", "Rosa", "M", 0, (), ())})
    f.jump("payments:")
    load = f.step.load
    assert load is not None and load(f.data) is None
