"""``lobby-central simulate-calls``: calls placed through the same rating functions the API
uses, one line each, so usage shows up in the demo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from central.calls.models import Call, CallStatus
from central.calls.simulator import simulate_calls
from central.cli import main
from central.kernel.clock import ManualClock, SystemClock
from tests.central.family_support import Family
from tests.central.rating_support import HARBOR, MESA, balance, fund, subscribe, used_in_period


def test_simulated_calls_use_the_allotment_then_the_balance(
    family: Family, app: FastAPI, clock: ManualClock
) -> None:
    subscription = subscribe(app, family.account_id, allotment=100, used=98)
    fund(app, family.account_id, 50)
    calls = list(simulate_calls(app.state.services.db, clock, phone="(713) 555-0142",
                                facility_id=HARBOR, calls=4, minutes=3, seed=1))
    assert [c.decision.decision for c in calls] == ["covered", "covered", "charged", "charged"]
    assert all(120 < c.duration_seconds <= 180 for c in calls)
    assert [c.describe() for c in calls] == [
        "call 1: covered, 3 min, 1 calls remaining",
        "call 2: covered, 3 min, 0 calls remaining",
        "call 3: charged 27 cents (3 min at 9 cents/min, at most 5 min), balance 23 cents",
        "call 4: charged 18 cents (2 min at 9 cents/min, at most 2 min), balance 5 cents",
    ]
    assert used_in_period(app, subscription) == 100
    assert balance(app, family.account_id) == 5


def test_the_seed_makes_lengths_repeatable(family: Family, app: FastAPI, clock: ManualClock
                                           ) -> None:
    subscribe(app, family.account_id)
    db = app.state.services.db

    def lengths(seed: int) -> list[int]:
        return [c.duration_seconds for c in simulate_calls(
            db, clock, phone="+17135550142", facility_id=HARBOR, calls=5, seed=seed)]

    assert lengths(3) == lengths(3) != lengths(4)


def test_simulate_calls_command(
    family: Family, app: FastAPI, seeded_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The command runs on the system clock: a subscription that covers the real now.
    now = SystemClock().now()
    subscription = subscribe(app, family.account_id, allotment=100, used=0,
                             start=now - timedelta(days=1), end=now + timedelta(days=29))
    fund(app, family.account_id, 100)
    assert main(["simulate-calls", "--db", seeded_url, "--phone", "+17135550142",
                 "--facility", HARBOR, "--calls", "2", "--minutes", "5", "--seed", "2"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "call 1: covered, 5 min, 99 calls remaining",
        "call 2: covered, 5 min, 98 calls remaining",
    ]
    assert main(["simulate-calls", "--db", seeded_url, "--phone", "+17135550142",
                 "--facility", HARBOR, "--calls", "1", "--minutes", "4",
                 "--destination", "international"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "call 1: charged 36 cents (4 min at 9 cents/min, at most 11 min), balance 64 cents",
    ]
    assert main(["simulate-calls", "--db", seeded_url, "--phone", "+17135550142",
                 "--facility", MESA, "--calls", "1", "--kind", "video"]) == 0
    assert capsys.readouterr().out == "call 1: refused (no_account)\n"
    assert used_in_period(app, subscription) == 2
    with app.state.services.db.transaction() as session:
        rated = session.scalar(select(func.count()).select_from(Call)
                               .where(Call.status == CallStatus.RATED))
    assert rated == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--phone", "12"], "not a valid phone number"),
     (["--phone", "+17135550142", "--facility", "nowhere"], "facility_unknown"),
     (["--phone", "+17135550142", "--calls", "0"], "at least one call")],
)
def test_simulate_calls_refuses_bad_input(
    seeded_url: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    base = {"--facility": HARBOR, "--calls": "1"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = ["simulate-calls", "--db", seeded_url]
    for flag, value in base.items():
        argv += [flag, value]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
