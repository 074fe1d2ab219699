/**
 * Seeding the demo county through the services' real interfaces: intake's REST import, then — once dispatch,
 * coldchain and sla have applied the master data (polled on their own routes) — dispatch's settings and the
 * containers' expected profiles at coldchain. Every step is idempotent: a second seed changes nothing.
 */
import type { DemoCounty } from '../demo-types.js';
import { call, HttpError, must, until } from './http.js';

export interface SeedTarget {
  county: DemoCounty;
  urls: { intake: string; dispatch: string; coldchain: string; sla: string };
  adminKey: string;
  /** dispatch's planning budget (`budgetSeconds`), real seconds; dispatch's default 20 when absent. */
  planBudgetSeconds?: number;
  /** The refrigerated compartments' profile: the produce in season's. */
  reeferProfileId?: string;
  signal?: AbortSignal;
}

/** Profiles the containers expect: produce in season in the refrigerated trucks (yellow peach unless told), chilled goods in the cold rooms. */
export const REEFER_PROFILE = 'yellow-peach';
export const COLD_ROOM_PROFILE = 'chilled';

export function expectedContainers(county: DemoCounty, reeferProfileId = REEFER_PROFILE): { containerId: string; profileId: string }[] {
  return [
    ...county.vehicles.filter((v) => v.active && v.refrigerated).map((v) => ({ containerId: `${v.id}/refrigerated`, profileId: reeferProfileId })),
    ...county.stations.filter((s) => s.active !== false && s.coldStorageM3 > 0).map((s) => ({ containerId: `${s.id}/cold-room`, profileId: COLD_ROOM_PROFILE })),
  ];
}

export async function seed({ county, urls, adminKey, planBudgetSeconds, reeferProfileId, signal }: SeedTarget): Promise<void> {
  const opts = signal ? { signal } : {};
  // 1. The county at intake: its master data goes out on masterdata.events.
  const imported = await call('POST', `${urls.intake}/import/county`, adminKey, county, opts);
  if (imported.status !== 200) throw new Error(`county import refused (${imported.status}): ${JSON.stringify(imported.body).slice(0, 2000)}`);

  // 2. The admin key known everywhere (it replicates on masterdata.events too).
  for (const url of [urls.dispatch, urls.coldchain, urls.sla]) {
    await until(`the admin key at ${url}`, async () => ((await call('GET', `${url}/auth/whoami`, adminKey, undefined, opts)).status === 200 ? true : undefined), opts);
  }

  // 3. dispatch: the county's waves known (a plan listing answers instead of 409 COUNTY_NOT_KNOWN), then every
  //    active station and vehicle (a fixed line naming them validates against dispatch's copy: 422 LINE_INVALID
  //    names each one it lacks). dispatch has no master-data read route; the probe line is deleted at once.
  const wave = county.county.waves[0]!;
  await until('the county at dispatch', async () => ((await call('GET', `${urls.dispatch}/dispatch/waves/2026-01-01/${wave.id}/plans`, adminKey, undefined, opts)).status === 200 ? true : undefined), opts);
  const stationIds = county.stations.filter((s) => s.active !== false && s.kind !== 'center').map((s) => s.id);
  const vehicles = county.vehicles.filter((v) => v.active);
  const probe = `${urls.dispatch}/dispatch/lines/seed-probe`;
  // A line names at most 100 stations: the stations in chunks on the first vehicle, then each vehicle with one station.
  const probes = [
    ...chunks(stationIds, 100).map((ids) => ({ stationIds: ids, vehicleId: vehicles[0]!.id })),
    ...vehicles.slice(1).map((v) => ({ stationIds: stationIds.slice(0, 1), vehicleId: v.id })),
  ];
  for (const body of probes) {
    await until(`stations and vehicle ${body.vehicleId} at dispatch`, async () => {
      const answer = await call('PUT', probe, adminKey, { name: 'seed probe', ...body, weekdays: [1] }, opts);
      if (answer.status === 200 || answer.status === 201) return true;
      if (answer.status === 422) return undefined;
      throw new HttpError('PUT', probe, answer.status, answer.body);
    }, opts);
  }
  await must('DELETE', probe, adminKey, undefined, [204, 404], signal);
  const settings = { mode: 'direct', autoPlan: false, ...(planBudgetSeconds === undefined ? {} : { budgetSeconds: planBudgetSeconds }), seed: 1 };
  await must('PUT', `${urls.dispatch}/dispatch/settings`, adminKey, settings, [200], signal);

  // 4. coldchain: every refrigerated compartment and cold room from master data, each expecting its profile.
  const containers = expectedContainers(county, reeferProfileId);
  await until('the containers at coldchain', async () => {
    const { status, body } = await call<{ items: { containerId: string }[] }>('GET', `${urls.coldchain}/coldchain/containers`, adminKey, undefined, opts);
    if (status !== 200) return undefined;
    const known = new Set(body.items.map((c) => c.containerId));
    return containers.every((c) => known.has(c.containerId)) ? true : undefined;
  }, opts);
  for (const c of containers) {
    await must('PUT', `${urls.coldchain}/coldchain/containers/${encodeURIComponent(c.containerId)}`, adminKey, { profileId: c.profileId }, [200], signal);
  }

  // 5. sla: the county's towns and villages (coverage's denominators in the bureau's figures).
  const towns = county.towns.filter((t) => t.active).length;
  const villages = county.villages.filter((v) => v.active !== false).length;
  await until('the county at sla', async () => {
    const { status, body } = await call<{ coverage: { villages: { denominator: number }; towns: { denominator: number } } }>(
      'GET',
      `${urls.sla}/v1/metrics?from=2026-01-01&to=2026-01-01`,
      adminKey,
      undefined,
      opts,
    );
    return status === 200 && body.coverage.villages.denominator === villages && body.coverage.towns.denominator === towns ? true : undefined;
  }, opts);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
