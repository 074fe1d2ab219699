import type { StationKind } from '@county/contracts';
import type { SectionRecords } from './sections.js';

/**
 * What an import holds, in the terms of the plans' targets (docs/architecture.md §1: ≥ 80 % of villages and
 * every town covered, poverty-registered villages reported apart). Counts are of active records; a
 * village is covered when an active town or village station serves it.
 */
export interface CountyImportSummary {
  towns: { total: number; withStation: number };
  villages: { total: number; covered: number; povertyRegistered: number; povertyRegisteredCovered: number };
  stations: Record<StationKind, number>;
  couriers: number;
  vehicles: { total: number; refrigerated: number; courierOwned: number };
}

type Records = { [S in keyof SectionRecords]: SectionRecords[S][] };

export function summarize({ towns, villages, stations, couriers, vehicles }: Omit<Records, 'county'>): CountyImportSummary {
  const active = <T extends { active: boolean }>(items: T[]) => items.filter((item) => item.active);
  const activeStations = active(stations);
  const covered = new Set(activeStations.flatMap((station) => station.villageCodes));
  const townsWithStation = new Set(activeStations.filter((s) => s.kind === 'town').map((station) => station.townId));
  const activeVillages = active(villages);
  const poor = activeVillages.filter((village) => village.povertyRegistered);
  const activeVehicles = active(vehicles);
  return {
    towns: { total: active(towns).length, withStation: active(towns).filter((town) => townsWithStation.has(town.id)).length },
    villages: {
      total: activeVillages.length,
      covered: activeVillages.filter((village) => covered.has(village.code)).length,
      povertyRegistered: poor.length,
      povertyRegisteredCovered: poor.filter((village) => covered.has(village.code)).length,
    },
    stations: {
      center: activeStations.filter((station) => station.kind === 'center').length,
      town: activeStations.filter((station) => station.kind === 'town').length,
      village: activeStations.filter((station) => station.kind === 'village').length,
    },
    couriers: active(couriers).length,
    vehicles: {
      total: activeVehicles.length,
      refrigerated: activeVehicles.filter((vehicle) => vehicle.refrigerated).length,
      courierOwned: activeVehicles.filter((vehicle) => vehicle.owner.kind === 'courier').length,
    },
  };
}
