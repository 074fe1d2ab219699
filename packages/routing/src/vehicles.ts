import type { VehicleType } from './problem.js';

/** How many vehicles a type has; undefined when unlimited. */
export function fleetSize(type: VehicleType): number | undefined {
  return type.vehicleIds?.length ?? type.count;
}

/** The id of the type's vehicle number `ordinal` (0-based). */
export function vehicleId(type: VehicleType, ordinal: number): string {
  return type.vehicleIds?.[ordinal] ?? `${type.id}-${ordinal + 1}`;
}

export interface VehicleRef {
  readonly typeIndex: number;
  readonly ordinal: number;
}

/** Finds which type and ordinal a vehicle id names, or undefined if no vehicle has it. */
export function findVehicle(types: readonly VehicleType[], id: string): VehicleRef | undefined {
  for (const [typeIndex, type] of types.entries()) {
    if (type.vehicleIds) {
      const ordinal = type.vehicleIds.indexOf(id);
      if (ordinal >= 0) return { typeIndex, ordinal };
      continue;
    }
    const prefix = `${type.id}-`;
    if (!id.startsWith(prefix)) continue;
    const number = Number(id.slice(prefix.length));
    const size = fleetSize(type);
    if (Number.isInteger(number) && number >= 1 && (size === undefined || number <= size)) {
      return { typeIndex, ordinal: number - 1 };
    }
  }
  return undefined;
}
