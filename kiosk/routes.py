"""How a kiosk request declares what answers it: ``@route`` on the request's dataclass.

Each request in ``kiosk/requests.py`` carries its ``Route``: the type of its answer, the
capability method that answers it, the answer the screen tour shows, and how the workflow
treats it (it takes a card; it is answered from this kiosk's own database; staff doing it
for a family put it in the audit trail; nobody waits for it). The request, its answer and
its sample are written in one place, and ``kiosk/request_table.py`` collects them for the
workflow, the tour and the tests. Adding a request: docs/architecture.md, "Adding a kiosk
request".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kiosk.capabilities import Outcome

if TYPE_CHECKING:
    from kiosk.capabilities.advisor import Advisor
    from kiosk.capabilities.cash import CashDesk
    from kiosk.capabilities.catalog import Catalog
    from kiosk.capabilities.family import FamilySessions
    from kiosk.capabilities.loved_ones import LinkQueue
    from kiosk.capabilities.money import Money
    from kiosk.capabilities.reader import ReaderDesk
    from kiosk.capabilities.receipts import ReceiptDesk
    from kiosk.capabilities.registration import Registrations
    from kiosk.capabilities.staff import StaffDesk
    from kiosk.capabilities.subscriptions import Subscriptions

R = TypeVar("R")
A = TypeVar("A")


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What answers the kiosk's requests: one object per capability, built by the workflow."""

    catalog: Catalog
    registrations: Registrations
    family: FamilySessions
    links: LinkQueue
    money: Money
    subscriptions: Subscriptions
    advisor: Advisor
    receipts: ReceiptDesk
    staff: StaffDesk
    cash: CashDesk
    reader: ReaderDesk


def never(_request: object) -> bool:
    return False


def always(_request: object) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Route(Generic[R, A]):
    """One request: its ``answer`` type (a class, or ``list[...]``, or None), the
    capability method that answers it, and the tour's ``sample`` answer (given whether the
    sample kiosk is online)."""

    request: type[R]
    answer: Any  # a type form: FacilitySummary, list[FacilitySummary], None
    handler: Callable[[Capabilities], Callable[[R], Outcome[A]]]
    sample: Callable[[R, bool], A]
    # It takes a card, or starts a payment that would: refused at once on a kiosk with no
    # secure keyring (docs/offline.md, "The keyring").
    takes_card: Callable[[R], bool] = never
    # Answered from this kiosk's own database: its outcome says nothing about the network.
    local: bool = False
    # A family's request that moves money or changes the account: done in staff mode, it
    # goes into the audit trail with the staff member's id (docs/staff-mode.md).
    assisted: bool = False
    # Nobody waits for it (a paper receipt): it does not make the screen busy, so "Back to
    # my account" is not held while a printer takes its seconds.
    background: bool = False


# Every route, in the order the requests are written.
DECLARED: list[Route[Any, Any]] = []


def route(
    answer: Any,
    handler: Callable[[Capabilities], Callable[[R], Outcome[A]]],
    sample: Callable[[R, bool], A],
    *,
    takes_card: Callable[[R], bool] = never,
    local: bool = False,
    assisted: bool = False,
    background: bool = False,
) -> Callable[[type[R]], type[R]]:
    """Declare the request class below as answered by ``handler`` with an ``answer``
    (``sample`` for the tour). mypy checks that the handler takes this request's type."""

    def declare(request: type[R]) -> type[R]:
        if any(known.request.__name__ == request.__name__ for known in DECLARED):
            raise TypeError(f"{request.__name__} is declared twice")
        DECLARED.append(Route(request, answer, handler, sample, takes_card, local,
                              assisted, background))
        return request

    return declare
