"""A charge's details are typed per purpose and versioned, and every purpose has an effect
registered at the composition root (issue 18: money knows nothing of plans or calls)."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from central.app import register_charge_effects
from central.calls.single_call import SingleCallDetails
from central.money.deposits import DepositDetails
from central.money.effects import ChargeEffects, EffectsMissing
from central.money.models import ChargePurpose
from central.plans.purchases import RenewalDetails

OLD_DEPOSIT = {"amount_cents": 2000, "fee_cents": 300, "facility_id": "f", "brand": "visa",
               "last4": "4242"}


def test_a_row_from_before_versions_reads_as_version_1() -> None:
    details = DepositDetails.model_validate_json(json.dumps(OLD_DEPOSIT))
    assert details.version == 1 and details.amount_cents == 2000


def test_a_newer_version_is_refused_not_misread() -> None:
    with pytest.raises(ValidationError):
        DepositDetails.model_validate_json(json.dumps({**OLD_DEPOSIT, "version": 2}))


def test_a_missing_field_is_refused() -> None:
    with pytest.raises(ValidationError):
        SingleCallDetails.model_validate_json(json.dumps({"minutes": 5}))


def test_details_round_trip_through_the_stored_json() -> None:
    renewal = RenewalDetails(by="renewal", start="2026-02-01T06:00:00Z",
                             end="2026-03-01T06:00:00Z",
                             ending_period_end="2026-02-01T06:00:00Z",
                             card={"payment_method_id": "pm", "token": "tok", "brand": "visa",
                                   "last4": "4242", "exp_month": 1, "exp_year": 2030})
    stored = json.dumps(renewal.model_dump(mode="json"), sort_keys=True)
    assert RenewalDetails.model_validate_json(stored) == renewal


def test_the_composition_root_registers_an_effect_for_every_purpose() -> None:
    effects = register_charge_effects(ChargeEffects())
    for purpose in ChargePurpose:
        assert effects.effect(purpose) is not None
    assert len(effects.paid_for("some-charge")) == 1  # a subscription period


def test_an_empty_registry_refuses_to_answer() -> None:
    with pytest.raises(EffectsMissing):
        ChargeEffects().paid_for("some-charge")


class _OtherDeposit:
    def apply(self, session: object, charge: object, clock: object) -> bool:
        return True

    def declined(self, session: object, charge: object, clock: object) -> None:
        """Nothing."""


def test_a_second_effect_for_a_purpose_is_a_mistake() -> None:
    effects = register_charge_effects(ChargeEffects())
    register_charge_effects(effects)  # the same ones again: harmless
    with pytest.raises(ValueError, match="already has an effect"):
        effects.register(ChargePurpose.DEPOSIT, _OtherDeposit())  # type: ignore[arg-type]
