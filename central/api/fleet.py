"""Fleet routes: a kiosk's heartbeat, and for supervisors the fleet list and the
out-of-service switch."""

from __future__ import annotations

from fastapi import APIRouter

from central.api.deps import KioskAuth, Services, SupervisorAuth
from central.fleet import services as fleet_services
from central.fleet.schemas import FleetKioskOut, HeartbeatIn, HeartbeatOut, ServiceIn
from central.problems import problems

router = APIRouter(tags=["fleet"])


@router.post(
    "/v1/kiosks/heartbeat",
    response_model=HeartbeatOut,
    responses=problems(400, 401, 422),
)
def heartbeat(body: HeartbeatIn, kiosk: KioskAuth, services: Services) -> HeartbeatOut:
    """The kiosk reports its health; the answer says whether it may serve families."""
    now = services.clock.now()
    with services.db.transaction() as session:
        state = fleet_services.record_heartbeat(session, kiosk.id, body, now)
    return HeartbeatOut(in_service=state.in_service, out_of_service_reason=state.reason,
                        server_time=now)


@router.get(
    "/v1/fleet/kiosks",
    response_model=list[FleetKioskOut],
    responses=problems(401, 403),
)
def fleet_list(staff: SupervisorAuth, services: Services) -> list[FleetKioskOut]:
    """The lobby kiosks of the supervisor's facility with their last heartbeat; the quiet
    ones first."""
    with services.db.transaction() as session:
        return fleet_services.fleet(session, services.clock.now(), staff.staff.facility_id)


@router.post(
    "/v1/fleet/kiosks/{kiosk_id}/service",
    response_model=list[FleetKioskOut],
    responses=problems(400, 401, 403, 404, 422),
)
def switch_service(
    kiosk_id: str, body: ServiceIn, staff: SupervisorAuth, services: Services
) -> list[FleetKioskOut]:
    """Take a kiosk out of service (it shows a notice at its next heartbeat) or back."""
    now = services.clock.now()
    with services.db.transaction() as session:
        fleet_services.set_service(session, kiosk_id, in_service=body.in_service,
                                   reason=body.reason, staff_id=staff.staff.id,
                                   facility_id=staff.staff.facility_id, now=now)
    with services.db.transaction() as session:
        return [entry for entry in fleet_services.fleet(session, now, staff.staff.facility_id)
                if entry.id == kiosk_id]
