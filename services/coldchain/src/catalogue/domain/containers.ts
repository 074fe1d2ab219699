import type { Station, Vehicle } from '@county/contracts';

/**
 * Containers (issue #11): a refrigerated vehicle's compartment `<vehicleId>/refrigerated` and a station's cold room
 * `<stationId>/cold-room`, known from master data. A vehicle that is not (or no longer) refrigerated, or a station
 * whose cold storage is 0, has none: its container, if it had one, is kept inactive, so the readings and bindings
 * of its past still name it.
 */
export type ContainerKind = 'vehicle_compartment' | 'cold_room';

export interface ContainerRow {
  countyId: string;
  containerId: string;
  kind: ContainerKind;
  vehicleId: string | null;
  stationId: string | null;
  capacityM3: number | null;
  active: boolean;
}

export const compartmentOf = (vehicleId: string) => `${vehicleId}/refrigerated`;
export const coldRoomOf = (stationId: string) => `${stationId}/cold-room`;

/** The container a vehicle's record describes: its compartment, active while it is refrigerated and in service. */
export function vehicleContainer(vehicle: Vehicle): ContainerRow {
  return {
    countyId: vehicle.countyId,
    containerId: compartmentOf(vehicle.id),
    kind: 'vehicle_compartment',
    vehicleId: vehicle.id,
    stationId: null,
    capacityM3: vehicle.refrigeratedCapacityM3 ?? null,
    active: vehicle.active && vehicle.refrigerated,
  };
}

/** The container a station's record describes: its cold room, active while it has cold storage and is in service. */
export function stationContainer(station: Station): ContainerRow {
  return {
    countyId: station.countyId,
    containerId: coldRoomOf(station.id),
    kind: 'cold_room',
    vehicleId: null,
    stationId: station.id,
    capacityM3: station.coldStorageM3 > 0 ? station.coldStorageM3 : null,
    active: station.active && station.coldStorageM3 > 0,
  };
}

/** Whether a record describes a container at all (one never refrigerated and never stored is not written). */
export const hasContainer = (row: ContainerRow) => row.active;

/** The vehicle whose compartment a container id names, if it names one. */
export function vehicleOfContainer(containerId: string): string | undefined {
  const match = /^(.+)\/refrigerated$/.exec(containerId);
  return match?.[1];
}
