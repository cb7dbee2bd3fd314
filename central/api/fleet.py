"""Fleet routes: a kiosk's heartbeat, and for supervisors the fleet list and the
out-of-service switch."""

from __future__ import annotations

from fastapi import APIRouter

from central.api.deps import KioskAuth, Services, SupervisorAuth, staff_facility
from central.fleet import services as fleet_services
from central.fleet.schemas import FleetKioskOut, HeartbeatIn, HeartbeatOut, ServiceIn
from central.kernel.problems import problems

router = APIRouter(tags=["fleet"])


@router.post(
    "/v1/kiosks/heartbeat",
    response_model=HeartbeatOut,
    responses=problems(400, 401, 422),
)
def heartbeat(body: HeartbeatIn, kiosk: KioskAuth, services: Services) -> HeartbeatOut:
    """The kiosk reports its health; the answer says whether it may serve families."""
    return fleet_services.heartbeat(fleet_services.Heartbeat(kiosk.id, body), services)


@router.get(
    "/v1/fleet/kiosks",
    response_model=list[FleetKioskOut],
    responses=problems(401, 403),
)
def fleet_list(staff: SupervisorAuth, kiosk: KioskAuth, services: Services
               ) -> list[FleetKioskOut]:
    """The lobby kiosks of the supervisor's facility (for one with no facility, the facility
    of the kiosk they signed in at) with their last heartbeat; the quiet ones first."""
    with services.db.transaction() as session:
        return fleet_services.fleet(session, services.clock.now(), staff_facility(staff, kiosk))


@router.post(
    "/v1/fleet/kiosks/{kiosk_id}/service",
    response_model=list[FleetKioskOut],
    responses=problems(400, 401, 403, 404, 422),
)
def switch_service(
    kiosk_id: str, body: ServiceIn, staff: SupervisorAuth, kiosk: KioskAuth,
    services: Services,
) -> list[FleetKioskOut]:
    """Take a kiosk of the supervisor's facility out of service (it shows a notice at its
    next heartbeat) or back; another facility's kiosk is 404."""
    return fleet_services.switch_service(fleet_services.SwitchService(
        kiosk_id, body.in_service, body.reason, staff.staff.id, staff_facility(staff, kiosk)),
        services)
