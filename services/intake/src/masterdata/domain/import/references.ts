import { countyCodeOf, townCodeOf, type Courier, type Station, type Town, type Vehicle, type Village } from '@county/contracts';
import type { Finding } from './errors.js';
import type { ImportOrigin } from './origin.js';
import type { Parsed } from './records.js';
import type { Section, SectionRecords } from './sections.js';

export type ParsedSections = { [S in Section]: Parsed<SectionRecords[S]>[] };

type Index<T> = Map<string, Partial<T>>;

interface Report {
  add(section: Section, index: number | null, path: readonly PropertyKey[], reason: string): void;
  row(section: Section, index: number): number;
}

/**
 * The rules that span records: unique ids, references that resolve, and the shape of the network
 * (one center; a village with at most one village station; depots where vehicles can start).
 * Records are checked as far as their fields are valid (see Parsed).
 */
export function referenceFindings(parsed: ParsedSections, origin: ImportOrigin): Finding[] {
  const findings: Finding[] = [];
  const report: Report = {
    add: (section, index, path, reason) => findings.push({ section, index, path, reason }),
    row: (section, index) => origin.row(section, index),
  };
  const unique = <S extends Section>(section: S, field: keyof SectionRecords[S] & string) =>
    uniqueBy(section, parsed[section], field, report);

  const towns = unique('towns', 'id');
  unique('towns', 'code');
  const villages = unique('villages', 'code');
  const stations = unique('stations', 'id');
  const couriers = unique('couriers', 'id');
  unique('vehicles', 'id');
  unique('vehicles', 'plate');

  const countyCode = parsed.county[0]?.value.adminCode;
  for (const town of parsed.towns) checkTown(town, countyCode, report);
  for (const village of parsed.villages) checkVillage(village, { countyCode, towns }, report);
  checkCenter(parsed.stations, report);
  checkStations(parsed.stations, { towns, villages }, report);
  for (const vehicle of parsed.vehicles) checkVehicle(vehicle, { stations, couriers }, report);
  return findings;
}

/** The records by a field's value: the first of each; each later one is reported as a duplicate. */
function uniqueBy<T>(section: Section, items: Parsed<T>[], field: keyof T & string, report: Report): Index<T> {
  const firsts = new Map<string, Parsed<T>>();
  for (const item of items) {
    const key = item.value[field];
    if (typeof key !== 'string') continue;
    const first = firsts.get(key);
    if (first) report.add(section, item.index, [field], `duplicate ${key}, also in row ${report.row(section, first.index)}`);
    else firsts.set(key, item);
  }
  return new Map([...firsts].map(([key, item]) => [key, item.value]));
}

function checkTown({ index, value: town }: Parsed<Town>, countyCode: string | undefined, report: Report): void {
  if (countyCode && town.code && countyCodeOf(town.code) !== countyCode) {
    report.add('towns', index, ['code'], `not a town of county ${countyCode}`);
  }
}

function checkVillage(
  { index, value: village }: Parsed<Village>,
  { countyCode, towns }: { countyCode: string | undefined; towns: Index<Town> },
  report: Report,
): void {
  if (countyCode && village.code && countyCodeOf(village.code) !== countyCode) {
    report.add('villages', index, ['code'], `not a village of county ${countyCode}`);
  }
  if (village.townId === undefined) return;
  const town = towns.get(village.townId);
  if (!town) return report.add('villages', index, ['townId'], `unknown town ${village.townId}`);
  if (town.code && village.code && townCodeOf(village.code) !== town.code) {
    report.add('villages', index, ['code'], `not a village of town ${village.townId} (code ${town.code})`);
  }
  if (village.active !== false && town.active === false) report.add('villages', index, ['townId'], `town ${village.townId} is inactive`);
}

/** Every route starts at the one county center (docs/architecture.md §1). */
function checkCenter(stations: Parsed<Station>[], report: Report): void {
  const [center, ...others] = stations.filter((station) => station.value.kind === 'center');
  if (!center) return report.add('stations', null, ['kind'], 'no center: exactly one station has kind center');
  if (center.value.active === false) report.add('stations', center.index, ['active'], 'the center must be active');
  for (const other of others) {
    report.add('stations', other.index, ['kind'], `a second center; the center is ${center.value.id} (row ${report.row('stations', center.index)})`);
  }
}

function checkStations(stations: Parsed<Station>[], { towns, villages }: { towns: Index<Town>; villages: Index<Village> }, report: Report): void {
  // Only active stations count here: a replaced village point stays on record, inactive.
  const servedBy = new Map<string, Parsed<Station>>();
  for (const item of stations) {
    const { index, value: station } = item;
    const active = station.active !== false;
    const town = station.townId === undefined ? undefined : towns.get(station.townId);
    if (station.townId !== undefined && !town) report.add('stations', index, ['townId'], `unknown town ${station.townId}`);
    if (active && town?.active === false) report.add('stations', index, ['townId'], `town ${station.townId} is inactive`);
    (station.villageCodes ?? []).forEach((code, position) => {
      const at = (reason: string) => report.add('stations', index, ['villageCodes', position], reason);
      const village = villages.get(code);
      if (!village) return at(`unknown village ${code}`);
      // A village of an unknown town is reported with the village, not again with its station.
      const villageTownKnown = village.townId !== undefined && towns.has(village.townId);
      if (town && villageTownKnown && village.townId !== station.townId) {
        at(`village ${code} is in town ${village.townId}, not in the station’s town ${station.townId}`);
      }
      if (active && village.active === false) at(`village ${code} is inactive`);
      if (!active || station.kind !== 'village') return;
      const other = servedBy.get(code);
      if (other) at(`village ${code} is served by village station ${other.value.id} already (row ${report.row('stations', other.index)})`);
      else servedBy.set(code, item);
    });
  }
}

function checkVehicle(
  { index, value: vehicle }: Parsed<Vehicle>,
  { stations, couriers }: { stations: Index<Station>; couriers: Index<Courier> },
  report: Report,
): void {
  const active = vehicle.active !== false;
  if (vehicle.depotStationId !== undefined) {
    const at = (reason: string) => report.add('vehicles', index, ['depotStationId'], reason);
    const depot = stations.get(vehicle.depotStationId);
    if (!depot) at(`unknown station ${vehicle.depotStationId}`);
    else if (depot.kind === 'village') at(`${vehicle.depotStationId} is a village station; a depot is the center or a town station`);
    else if (active && depot.active === false) at(`station ${vehicle.depotStationId} is inactive`);
  }
  if (vehicle.owner?.kind === 'courier') {
    const { courierId } = vehicle.owner;
    const at = (reason: string) => report.add('vehicles', index, ['owner', 'courierId'], reason);
    const courier = couriers.get(courierId);
    if (!courier) at(`unknown courier ${courierId}`);
    else if (active && courier.active === false) at(`courier ${courierId} is inactive`);
  }
}
