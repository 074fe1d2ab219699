import type { Vehicle, VehicleType as CountyVehicleType } from '@county/contracts';
import type { VehicleType } from '@county/routing';
import { depotOf, type WaveContext } from './context.js';

/** Where and when a vehicle starts: its depot station and its departure, minutes of the planning day. */
export interface Start {
  readonly depotStationId: string;
  readonly departure: number;
}

/**
 * One routing vehicle type per vehicle (its own capacities, costs, depot and departure). A vehicle that already ran
 * an earlier wave of the date has paid its vehicle-day: no fixed cost (packages/routing README, "For dispatch").
 */
export function vehicleType(ctx: WaveContext, vehicle: Vehicle, start?: Start): VehicleType {
  const depot = depotOf(ctx, start?.depotStationId ?? vehicle.depotStationId);
  return {
    id: vehicle.id,
    vehicleIds: [vehicle.id],
    capacityKg: vehicle.capacityKg,
    capacityM3: vehicle.capacityM3,
    refrigerated: vehicle.refrigerated,
    ...(vehicle.refrigerated && vehicle.refrigeratedCapacityKg !== undefined ? { refrigeratedCapacityKg: vehicle.refrigeratedCapacityKg } : {}),
    fixedCostPerDay: ctx.usedToday.has(vehicle.id) ? 0 : vehicle.fixedCostPerDayYuan,
    costPerKm: vehicle.costPerKmYuan,
    costPerHour: vehicle.costPerHourYuan,
    maxShiftMinutes: vehicle.maxShiftHours * 60,
    ...(depot.id === ctx.center.id ? {} : { depot: { location: ctx.travel.location(depot.id) } }),
    shiftStart: start?.departure ?? ctx.departure,
  };
}

/** The county's default vehicle type at the center, as many as needed (the counterfactual's hired vehicles). */
export function defaultType(ctx: WaveContext, id: string, spec: CountyVehicleType): VehicleType {
  return {
    id,
    capacityKg: spec.capacityKg,
    capacityM3: spec.capacityM3,
    fixedCostPerDay: spec.fixedCostPerDayYuan,
    costPerKm: spec.costPerKmYuan,
    costPerHour: spec.costPerHourYuan,
    maxShiftMinutes: spec.maxShiftHours * 60,
    shiftStart: ctx.departure,
  };
}

/** The vehicle's depot station id as the plan uses it (the center when the depot is unknown). */
export function depotStationOf(ctx: WaveContext, vehicle: Vehicle): string {
  return depotOf(ctx, vehicle.depotStationId).id;
}
