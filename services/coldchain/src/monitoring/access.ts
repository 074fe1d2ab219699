import type { Principal } from '@county/contracts';
import { assertCounty, assertVehicle } from '@county/platform';

const VEHICLE_COMPARTMENT = '/refrigerated';

/**
 * Who may see a container (coldchain-shared brief: "a driver may read its vehicles' containers"): the center's staff
 * every container of their county; a driver only the refrigerated compartments of its vehicles (403 otherwise).
 */
export function assertContainer(principal: Principal, countyId: string, containerId: string): void {
  assertCounty(principal, countyId);
  if (principal.role !== 'driver') return;
  const vehicleId = containerId.endsWith(VEHICLE_COMPARTMENT) ? containerId.slice(0, -VEHICLE_COMPARTMENT.length) : `(not a vehicle: ${containerId})`;
  assertVehicle(principal, vehicleId);
}

/** An alarm or excursion of a container the key may not see is answered as if it did not exist (as intake does parcels). */
export function maySeeContainer(principal: Principal, countyId: string, containerId: string): boolean {
  try {
    assertContainer(principal, countyId, containerId);
    return true;
  } catch {
    return false;
  }
}

/**
 * The containers a list may show: those asked for (each checked), or for a driver its vehicles' compartments;
 * undefined: the whole county.
 */
export function visibleContainers(principal: Principal, asked: readonly string[] | undefined): string[] | undefined {
  if (asked) {
    for (const containerId of asked) assertContainer(principal, principal.countyId, containerId);
    return [...asked];
  }
  if (principal.role === 'driver') return (principal.vehicleIds ?? []).map((vehicleId) => `${vehicleId}${VEHICLE_COMPARTMENT}`);
  return undefined;
}
