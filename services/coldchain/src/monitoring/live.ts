import type { Principal } from '@county/contracts';
import type { Clock, Pool } from '@county/platform';
import type { TrackerState } from './domain/fold.js';
import { excursionSeverity, type Severity } from './domain/severity.js';
import { visibleContainers } from './access.js';
import type { HotStore } from './hot.js';
import { excursionIdOf } from './ids.js';
import { limitsFor } from './limits.js';
import type { MonitoringPorts } from './ports.js';
import { latestOf, listContainerStates } from './store/state.js';

export interface LiveContainer {
  containerId: string;
  profileId: string | null;
  /** The latest reading of any of its sensors. */
  temperatureC: number | null;
  measuredAt: string | null;
  sensorId: string | null;
  sensors: { sensorId: string; temperatureC: number; measuredAt: string }[];
  /**
   * `silent`: no reading within the profile's silence gap (an alarm or not, domain/silence.ts decides);
   * `no_readings`: a container of the catalogue never heard from (its gateway not installed yet).
   */
  state: 'in_range' | 'excursion' | 'silent' | 'no_readings';
  openExcursion: {
    excursionId: string;
    startedAt: string;
    side: 'above' | 'below';
    minutesOutOfRange: number;
    minC: number;
    maxC: number;
    severity: Severity;
    exceededAt: string | null;
  } | null;
  silentAlarmId: string | null;
}

export interface LiveDeps {
  pool: Pool;
  hot: HotStore;
  ports: Pick<MonitoringPorts, 'profileOfContainer' | 'containersOf'>;
  clock: Clock;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The live view (issue #11: "each container's current temperature, state and open excursion"): every container the
 * key may see — those of the catalogue in service and any monitoring has heard from — from its hot copy where Redis
 * has one (current to the last reading) and its Postgres checkpoint otherwise (at most a few seconds behind).
 */
export async function liveView(deps: LiveDeps, principal: Principal, asked: string[] | undefined): Promise<{ asOf: string; containers: LiveContainer[] }> {
  const now = deps.clock();
  const visible = visibleContainers(principal, asked);
  const shown = (containerId: string) => !visible || visible.includes(containerId);
  const rows = new Map((await listContainerStates(deps.pool, principal.countyId)).filter((row) => shown(row.containerId)).map((row) => [row.containerId, row]));
  const catalogued = (await deps.ports.containersOf?.(deps.pool, principal.countyId)) ?? [];
  const ids = new Set([...catalogued.filter(shown), ...rows.keys()]);
  const containers = await Promise.all(
    [...ids].sort().map(async (containerId) => {
      const row = rows.get(containerId);
      const profile = await deps.ports.profileOfContainer(deps.pool, principal.countyId, containerId);
      if (!row?.state.last) return unheard(containerId, profile?.id ?? null);
      const hot = await deps.hot.read(row.countyId, containerId);
      const state: TrackerState = hot?.state.last && hot.state.last.at >= row.state.last.at ? hot.state : row.state;
      return liveOf(containerId, profile?.id ?? row.profileId, state, limitsFor(profile).gapMs, now.getTime(), row.countyId, row.silentAlarmId);
    }),
  );
  return { asOf: now.toISOString(), containers };
}

function unheard(containerId: string, profileId: string | null): LiveContainer {
  return { containerId, profileId, temperatureC: null, measuredAt: null, sensorId: null, sensors: [], state: 'no_readings', openExcursion: null, silentAlarmId: null };
}

function liveOf(containerId: string, profileId: string | null, state: TrackerState, gapMs: number, now: number, countyId: string, silentAlarmId: string | null): LiveContainer {
  const latest = latestOf(state);
  const open = state.open;
  return {
    containerId,
    profileId,
    temperatureC: latest?.temperatureC ?? null,
    measuredAt: latest ? iso(latest.at) : null,
    sensorId: latest?.sensorId ?? null,
    sensors: Object.entries(state.sensors)
      .map(([sensorId, s]) => ({ sensorId, temperatureC: s.temperatureC, measuredAt: iso(s.at) }))
      .sort((a, b) => (a.sensorId < b.sensorId ? -1 : 1)),
    state: !latest || now - latest.at > gapMs ? 'silent' : open ? 'excursion' : 'in_range',
    openExcursion: open
      ? {
          excursionId: excursionIdOf(countyId, containerId, open.startedAt),
          startedAt: iso(open.startedAt),
          side: open.side,
          minutesOutOfRange: Math.round(open.outMs / 600) / 100,
          minC: open.minC,
          maxC: open.maxC,
          severity: excursionSeverity(open),
          exceededAt: open.exceededAt === null ? null : iso(open.exceededAt),
        }
      : null,
    silentAlarmId,
  };
}
