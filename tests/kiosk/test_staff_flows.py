"""Staff mode's maps and rules, walked without widgets: sign-in to the staff home, each
staff choice, the guard that keeps families out, the hidden gesture and the offline check."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.domain import Address, FacilitySummary, ResidentMatch
from kiosk.flows.catalog import new_flow
from kiosk.flows.staff import may_enter
from kiosk.requests import (
    DiscardOutboxEntry,
    RecordStaffAction,
    Register,
    ResolveSignUpConflict,
    StaffSignIn,
)
from kiosk.staff import (
    OfflinePinIncorrect,
    OfflineStaffCheck,
    OutboxRow,
    SignUpConflict,
    StaffMember,
    StaffRole,
    TapCounter,
)

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
MEMBER = StaffMember("staff-1", "Dana Officer", StaffRole.CLERK)
CONFLICT = SignUpConflict("c-1", "Rosa", "+17135550100", "rosa@example.org", NOW)
ROW = OutboxRow(3, "create_account", "failed", 2, "phone_invalid", NOW)


def _signed_in_staff():  # type: ignore[no-untyped-def]
    flow = new_flow()
    flow.jump("staff_sign_in:")
    flow.record({"badge": "1001", "staff_pin": "2468"})
    request = flow.step.submit(flow.data)  # type: ignore[misc]
    assert isinstance(request, StaffSignIn) and request.badge == "1001"
    assert "2468" not in repr(request)
    flow.record({"staff": MEMBER})
    flow.forget_sensitive()
    assert flow.advance() == "staff_home"
    assert "staff_pin" not in flow.data
    return flow


def test_staff_sign_in_leads_to_the_staff_home() -> None:
    flow = _signed_in_staff()
    assert not flow.step.back  # the home is staff mode's start: End staff mode leaves it


def test_conflicts_are_chosen_then_resolved_with_a_reason() -> None:
    flow = _signed_in_staff()
    flow.record({"staff_choice": "staff_conflicts"})
    assert flow.advance() == "staff_conflicts"
    assert type(flow.step.load(flow.data)).__name__ == "LoadSignUpConflicts"  # type: ignore[misc]
    flow.record({"conflict": CONFLICT})
    assert flow.advance() == "staff_conflict_resolve"
    assert flow.step.submit(flow.data) is None  # type: ignore[misc]  # no reason yet
    flow.record({"staff_reason": "Family signed in with their PIN"})
    request = flow.step.submit(flow.data)  # type: ignore[misc]
    assert isinstance(request, ResolveSignUpConflict)
    assert (request.conflict_id, request.resolution) == ("c-1", "Family signed in with their PIN")
    assert flow.advance() == "staff_conflicts"


def test_a_failed_outbox_entry_is_discarded_with_a_reason() -> None:
    flow = _signed_in_staff()
    flow.record({"staff_choice": "staff_outbox"})
    assert flow.advance() == "staff_outbox"
    flow.record({"outbox_row": ROW})
    assert flow.advance() == "staff_outbox_discard"
    flow.record({"staff_reason": "duplicate"})
    request = flow.step.submit(flow.data)  # type: ignore[misc]
    assert isinstance(request, DiscardOutboxEntry) and request.outbox_id == 3
    assert flow.advance() == "staff_outbox"
    assert flow.scrubbed()["staff_reason"] != "duplicate"  # reasons may name a family


def test_help_a_family_confirms_photo_id_then_signs_up_on_their_behalf() -> None:
    flow = _signed_in_staff()
    flow.record({"staff_choice": "staff_photo_id"})
    assert flow.advance() == "staff_photo_id"
    flow.record({"photo_id_checked": False})
    assert flow.step.submit(flow.data) is None  # type: ignore[misc]
    flow.record({"photo_id_checked": True})
    request = flow.step.submit(flow.data)  # type: ignore[misc]
    assert isinstance(request, RecordStaffAction) and request.action == "photo_id_checked"
    assert flow.advance() == "facility"
    flow.record({
        "facility": FacilitySummary("f", "F", "TX", "America/Chicago", True, True),
        "resident": ResidentMatch("r", "R", "1"), "first_name": "Rosa", "last_name": "M",
        "phone": "+17135550100", "email": "r@example.org",
        "address": Address("1 Main", "Houston", "TX", "77002"), "pin": "5820",
    })
    flow.jump("register:review")
    sign_up = flow.step.submit(flow.data)  # type: ignore[misc]
    assert isinstance(sign_up, Register) and sign_up.assisted_by == "staff-1"
    flow.jump("register:done")
    assert flow.advance() == "staff_home"  # staff go back to their home, still in staff mode
    # Nothing of that family is left for the next one.
    assert not {"first_name", "phone", "pin", "registration"} & set(flow.data)
    assert flow.data["staff"] == MEMBER


def test_staff_hand_the_screen_to_the_family_before_the_pin() -> None:
    """Issue 19, item 10: staff type the name, contact and address with the family, then
    the kiosk asks them to hand the screen over; the family chooses the PIN. A family on
    its own goes straight from the address to the PIN."""
    flow = _signed_in_staff()
    flow.record({"staff_choice": "staff_photo_id", "photo_id_checked": True})
    flow.advance()
    flow.advance()
    flow.jump("register:register_address")
    flow.record({"address": Address("1 Main", "Houston", "TX", "77002")})
    assert flow.advance() == "register_handover"
    assert flow.advance() == "register_pin"
    family = new_flow()
    family.jump("register:register_address")
    family.record({"address": Address("1 Main", "Houston", "TX", "77002")})
    assert family.advance() == "register_pin"


def test_a_family_sign_up_carries_no_staff_id_and_ends_the_session() -> None:
    flow = new_flow()
    flow.jump("register:done")
    assert flow.advance() is None


def test_only_staff_may_enter_staff_steps() -> None:
    assert not may_enter("staff", {})
    assert not may_enter("staff", {"account": object()})  # a signed-in family
    assert not may_enter("staff", {"staff": "staff-1"})  # not a StaffMember
    assert may_enter("staff", {"staff": MEMBER})
    assert may_enter("staff_sign_in", {})
    assert not may_enter("staff_sign_in", {"account": object()})
    assert may_enter("register", {})


def test_five_taps_within_three_seconds_open_staff_mode() -> None:
    taps = TapCounter()
    assert [taps.tap(t) for t in (0, 0.5, 1, 1.5)] == [False] * 4
    assert taps.tap(2.0)
    slow = TapCounter()
    assert not any(slow.tap(t) for t in (0, 1, 2, 3, 4, 5, 6))  # never 5 within 3 s


def test_the_offline_check_accepts_a_recent_pin_and_expires() -> None:
    clock = [NOW]
    check = OfflineStaffCheck(lambda: clock[0], timedelta(minutes=15))
    assert check.check("1001", "2468") is None  # never signed in here
    check.remember("1001", "2468", MEMBER)
    member = check.check("1001", "2468")
    assert member is not None and member.offline and member.id == "staff-1"
    clock[0] = NOW + timedelta(minutes=16)
    assert check.check("1001", "2468") is None


def test_the_offline_check_keeps_only_a_hash_and_locks_after_five_wrong_pins() -> None:
    check = OfflineStaffCheck(lambda: NOW)
    check.remember("1001", "2468", MEMBER)
    assert "2468" not in repr(vars(check))
    for left in (4, 3, 2, 1, 0):
        with pytest.raises(OfflinePinIncorrect) as wrong:
            check.check("1001", "0000")
        assert wrong.value.attempts_remaining == left
    assert check.check("1001", "2468") is None  # dropped: the server must answer now


def test_help_a_family_with_an_account_signs_them_in_then_back_to_the_staff_home() -> None:
    from kiosk.domain import AccountView, CardView
    from kiosk.requests import SignIn

    flow = _signed_in_staff()
    flow.record({"staff_choice": "sign_in:"})
    assert flow.advance() == "sign_in"  # the family types their own phone and PIN
    assert flow.can_go_back  # staff may go back to their home
    flow.record({"phone": "+17135550100", "pin": "4826"})
    assert isinstance(flow.step.submit(flow.data), SignIn)  # type: ignore[misc]
    flow.record({"account": AccountView("a-1", "Rosa", "M", 0, (), ()),
                 "new_card": CardView("visa", "4242"), "amount_cents": 2000})
    flow.forget_sensitive()
    assert flow.advance() == "account_home"
    assert flow.data["staff"] == MEMBER  # staff mode stays on through the family's journeys
    flow.jump("deposit:")
    assert flow.step_name == "deposit_amount"
    flow.jump("account:")
    # Sign out: back to the staff home, and nothing of the family is left.
    assert flow.advance() == "staff_home"
    assert set(flow.data) == {"staff"}


def test_a_family_on_their_own_signing_out_ends_the_session() -> None:
    flow = new_flow()
    flow.jump("account:")
    assert flow.advance() is None


def test_staff_actions_for_a_family_name_the_server_references_only() -> None:
    from kiosk.capabilities.staff import assisted_action
    from kiosk.domain import CardView, DepositReceipt
    from kiosk.requests import Deposit, LoadAccount, SaveCard

    receipt = DepositReceipt("txn-9", 2000, 195, 2195, 2000, CardView("visa", "4242", "pm-1"))
    assert assisted_action(Deposit(2000, 2195), receipt) == (
        "assisted_deposit", {"transaction_id": "txn-9", "amount_cents": 2000,
                             "total_cents": 2195})
    card = SaveCard("4242424242424242", 12, 2030, "123")
    event = assisted_action(card, CardView("visa", "4242", "pm-1"))
    assert event == ("assisted_card_saved", {"payment_method_id": "pm-1"})
    assert "4242424242424242" not in repr(event) and "123" not in repr(event[1].values())
    assert assisted_action(LoadAccount(), None) is None  # looking is not an action


# A clean interpreter: what its allocator keeps is not hidden by what pytest's already holds.
_SIGN_INS_ON_WORKERS = """
import os, sys, threading
from datetime import UTC, datetime
from kiosk.staff import OfflineStaffCheck, StaffMember, StaffRole

def rss_mib():
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

check = OfflineStaffCheck(lambda: datetime.now(UTC))
member = StaffMember("staff-1", "Dana Whitfield", StaffRole.CLERK)
before = rss_mib()
for _ in range(6):  # a day's staff sign-ins, each on one of the kiosk's worker threads
    worker = threading.Thread(target=check.remember, args=("1001", "2468", member))
    worker.start()
    worker.join()
    check.check("1001", "2468")
sys.stdout.write(f"{rss_mib() - before:.1f}")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_offline_check_hashes_leave_no_memory_behind_on_worker_threads() -> None:
    """Each argon2 hash takes a 19 MiB block. glibc used to keep one per thread that ever
    hashed (its threshold for giving large blocks back rises after the first), so every
    staff sign-in on a new worker thread left 19 MiB behind for the rest of the day."""
    done = subprocess.run([sys.executable, "-c", _SIGN_INS_ON_WORKERS], capture_output=True,
                          text=True, timeout=120, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert float(done.stdout) < 10.0, f"{done.stdout} MiB kept after six staff sign-ins"
