"""The registry of charge effects: what finishes a charge of each purpose, and what else may
say that a charge paid for it.

Money owns the registry but not most of the effects: a plan purchase and a renewal belong to
plans, a Single Call to calls, and both stand above money. So each capability registers its
own (its ``register_effects``) at the composition root (``central/app.py``, which the CLI
uses too), and the reconciler and the refund guard look them up here. Money imports
nothing of plans or calls; it only names the purposes a charge row may carry
(:class:`~central.money.models.ChargePurpose`, part of the table).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from central.kernel.clock import Clock
from central.money.models import Charge, ChargePurpose

# An SQL condition that holds when something (a period, a journal) says the charge with this
# id paid for it: such a charge is never refunded.
PaidFor = Callable[[str], ColumnElement[bool]]
# The facility a charge was made at (its supervisors see it when it needs attention), read
# without the charge's details model when it can be (they may be what fails): None if unknown.
FacilityOf = Callable[[Session, Charge], str | None]

# How many times the effect of a gateway's answer may fail before the charge waits for a
# person (``LOBBY_CENTRAL_CHARGE_TRIES``; central.money.attention).
DEFAULT_CHARGE_TRIES = 5


class ChargeDetails(BaseModel):
    """What a charge must remember to be finished later, perhaps by the reconciler after a
    restart on a newer release: one subclass per purpose, owned by the capability whose
    effect reads it, stored as JSON in ``charges.details``. Each subclass pins its
    ``version`` (``Literal[1] = 1``; rows from before versions read as 1): a renamed or
    retyped field is a new version with a reader for the old rows, so a pending charge from
    an older release fails loudly instead of being read by the wrong keys."""

    model_config = ConfigDict(frozen=True)


class ChargeEffect(Protocol):
    """What an approved or declined charge of one purpose does, in the transaction that
    records the charge's final state."""

    def apply(self, session: Session, charge: Charge, clock: Clock) -> bool:
        """Commit the business effect; False when it can no longer happen (the charge is
        then refunded)."""
        ...

    def declined(self, session: Session, charge: Charge, clock: Clock) -> None:
        """What a decline means beyond the answer (a renewal expires the subscription)."""
        ...


@runtime_checkable
class BatchEffect(ChargeEffect, Protocol):
    """An effect that can also be applied to a batch of approved charges in bulk (a renewal
    batch's): the same decision for each as :meth:`ChargeEffect.apply`, in a few statements
    for the whole batch instead of a few per charge."""

    def apply_many(self, session: Session, charges: Sequence[Charge], clock: Clock
                   ) -> list[bool]:
        """:meth:`ChargeEffect.apply` for each charge, in its place."""
        ...


class EffectsMissing(LookupError):
    """A charge was finished before its capability registered its effects: the process did
    not start through the composition root (``central.app.register_charge_effects``)."""


class ChargeEffects:
    """Effects by purpose, and the conditions that mark a charge as used. Registering the
    same thing again is a no-op (every app a process builds registers), registering a
    different effect for a purpose is a mistake and raises."""

    def __init__(self, tries: int = DEFAULT_CHARGE_TRIES) -> None:
        self._effects: dict[ChargePurpose, ChargeEffect] = {}
        self._paid_for: dict[str, PaidFor] = {}
        self._facility_of: dict[ChargePurpose, FacilityOf] = {}
        self.tries = tries

    @property
    def tries(self) -> int:
        """How many failed tries of a charge's effect make it need attention."""
        return self._tries

    @tries.setter
    def tries(self, tries: int) -> None:
        if tries < 1:
            raise ValueError("a charge's effect is tried at least once")
        self._tries = tries

    def register_facility_of(self, purpose: ChargePurpose, finder: FacilityOf) -> None:
        known = self._facility_of.setdefault(purpose, finder)
        if known is not finder:
            raise ValueError(f"charge purpose {purpose.value} already has a facility finder")

    def facility_of(self, session: Session, charge: Charge) -> str | None:
        """The facility of ``charge``, by its purpose's finder; None without one, or when
        the finder cannot tell."""
        finder = self._facility_of.get(charge.purpose)
        return finder(session, charge) if finder is not None else None

    def register(self, purpose: ChargePurpose, effect: ChargeEffect) -> None:
        known = self._effects.setdefault(purpose, effect)
        if known is not effect:
            raise ValueError(f"charge purpose {purpose.value} already has an effect")

    def register_paid_for(self, name: str, condition: PaidFor) -> None:
        known = self._paid_for.setdefault(name, condition)
        if known is not condition:
            raise ValueError(f"a paid-for condition named {name!r} is already registered")

    def effect(self, purpose: ChargePurpose) -> ChargeEffect:
        self.require_all()
        return self._effects[purpose]

    def paid_for(self, charge_id: str) -> list[ColumnElement[bool]]:
        """Every registered condition for this charge (the refund guard ORs them)."""
        self.require_all()
        return [condition(charge_id) for condition in self._paid_for.values()]

    def require_all(self) -> None:
        """Refuse to answer from a half-filled registry: a missing paid-for condition would
        let a used charge be refunded."""
        missing = [p.value for p in ChargePurpose if p not in self._effects]
        if missing:
            raise EffectsMissing(f"no effect registered for charge purposes {missing}; "
                                 "start through central.app.register_charge_effects()")


CHARGE_EFFECTS = ChargeEffects()
