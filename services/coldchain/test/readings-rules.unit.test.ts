import { describe, expect, it } from 'vitest';
import { containerRefusal } from '../src/readings/domain/access.js';
import { distinctSorted, groupByContainer, type CountyReading } from '../src/readings/domain/batch.js';
import { parseReadingsTopic, readingsTopic } from '../src/readings/domain/mqtt-topic.js';
import { expiredPartitions, monthsAhead, monthsOf, partitionName } from '../src/readings/domain/partitions.js';
import { checkReadings, refuseUnknownContainers } from '../src/readings/domain/validate.js';
import { rememberingKnownContainers } from '../src/readings/ports.js';

const NOW = new Date('2026-07-01T08:00:00.000Z');
const RULES = { clockSkewMs: 5 * 60_000, retentionMs: 366 * 86_400_000 };
const good = { containerId: 'V1/refrigerated', sensorId: 's1', temperatureC: 4.5, measuredAt: '2026-07-01T07:59:30.000Z' };

describe('a reading, whichever transport brought it', () => {
  it('is accepted when it is a reading of the contract, measured not after now + the allowed skew', () => {
    const { accepted, refused } = checkReadings([good, { ...good, measuredAt: '2026-07-01T08:04:59+00:00', humidityPct: 80 }], NOW, RULES);
    expect(refused).toEqual([]);
    expect(accepted.map((a) => a.reading.measuredAt)).toEqual(['2026-07-01T07:59:30.000Z', '2026-07-01T08:04:59.000Z']);
  });

  it('with an offset is stored in UTC', () => {
    const { accepted } = checkReadings([{ ...good, measuredAt: '2026-07-01T15:59:30+08:00' }], NOW, RULES);
    expect(accepted[0]!.reading.measuredAt).toBe('2026-07-01T07:59:30.000Z');
  });

  it('is refused with its field and reason when impossible, malformed, too far ahead or too old; the others are kept', () => {
    const items = [
      good,
      { ...good, temperatureC: 120 },
      { ...good, temperatureC: 'cold' },
      { ...good, measuredAt: '2026-07-01T08:05:01Z' },
      { ...good, measuredAt: '2025-06-29T00:00:00Z' },
      { ...good, extra: 1 },
      'not a reading',
      { ...good, containerId: 'a b' },
    ];
    const { accepted, refused } = checkReadings(items, NOW, RULES);
    expect(accepted.map((a) => a.index)).toEqual([0]);
    expect(refused.map((r) => [r.index, r.issues[0]!.path])).toEqual([
      [1, 'temperatureC'],
      [2, 'temperatureC'],
      [3, 'measuredAt'],
      [4, 'measuredAt'],
      [5, ''],
      [6, ''],
      [7, 'containerId'],
    ]);
    expect(refused[0]!.issues[0]!.reason).toBe('at most 80 °C');
    expect(refused[2]!.issues[0]!.reason).toContain('beyond the allowed clock skew of 5 min');
    expect(refused[3]!.issues[0]!.reason).toBe('older than the 366 d readings are kept');
  });

  it('of a container the county does not have is refused naming the container', () => {
    const { accepted } = checkReadings([good, { ...good, containerId: 'V9/refrigerated' }], NOW, RULES);
    const checked = refuseUnknownContainers(accepted, new Set(['V1/refrigerated']), 'cn-1');
    expect(checked.accepted.map((a) => a.index)).toEqual([0]);
    expect(checked.refused).toEqual([{ index: 1, issues: [{ path: 'containerId', reason: 'unknown container V9/refrigerated in county cn-1' }] }]);
  });
});

describe('a batch of readings', () => {
  const r = (containerId: string, sensorId: string, minute: number, temperatureC = 4): CountyReading => ({
    countyId: 'cn-1',
    containerId,
    sensorId,
    temperatureC,
    measuredAt: new Date(Date.UTC(2026, 6, 1, 8, minute)).toISOString(),
  });

  it('keeps a repeated reading once, whatever the order it came in, and groups by container in time order', () => {
    const readings = [r('B/cold-room', 's1', 3), r('A/refrigerated', 's2', 2), r('A/refrigerated', 's1', 2), r('A/refrigerated', 's1', 1), r('A/refrigerated', 's1', 2, 9)];
    const shuffled = [readings[4]!, readings[2]!, readings[0]!, readings[3]!, readings[1]!];
    const groups = groupByContainer(distinctSorted(readings));
    expect(groups.map((g) => [g.containerId, g.readings.map((x) => `${x.measuredAt.slice(14, 16)}:${x.sensorId}`)])).toEqual([
      ['A/refrigerated', ['01:s1', '02:s1', '02:s2']],
      ['B/cold-room', ['03:s1']],
    ]);
    expect(distinctSorted(shuffled).map((x) => `${x.containerId}${x.measuredAt}${x.sensorId}`)).toEqual(distinctSorted(readings).map((x) => `${x.containerId}${x.measuredAt}${x.sensorId}`));
  });
});

describe('monthly partitions', () => {
  it('are named by month, made ahead, and dropped once every reading in them is past the retention', () => {
    expect(monthsAhead(new Date('2026-12-15T00:00:00Z'), 2).map(partitionName)).toEqual(['readings_y2026m12', 'readings_y2027m01', 'readings_y2027m02']);
    expect(monthsOf(['2026-07-31T23:59:59.999Z', '2026-08-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z']).map(partitionName)).toEqual([
      'readings_y2026m07',
      'readings_y2026m08',
    ]);
    const names = ['readings_y2025m05', 'readings_y2025m06', 'readings_y2025m07', 'other'];
    expect(expiredPartitions(names, new Date('2026-07-01T12:00:00Z'), 366 * 86_400_000)).toEqual(['readings_y2025m05']);
  });
});

describe('the MQTT topic of a container', () => {
  it('names the county and the container, of one level or two', () => {
    expect(readingsTopic('', 'cn-1', 'V1/refrigerated')).toBe('county/cn-1/coldchain/V1/refrigerated/readings');
    expect(parseReadingsTopic('', 'county/cn-1/coldchain/V1/refrigerated/readings')).toEqual({ ok: true, countyId: 'cn-1', containerId: 'V1/refrigerated' });
    expect(parseReadingsTopic('t-1.', 't-1.county/cn-1/coldchain/cr-7/readings')).toEqual({ ok: true, countyId: 'cn-1', containerId: 'cr-7' });
    expect(parseReadingsTopic('', 'county/cn-1/coldchain/a/b/c/readings')).toMatchObject({ ok: false });
    expect(parseReadingsTopic('', 'county/cn-1/dispatch/V1/readings')).toMatchObject({ ok: false });
  });
});

describe('who may send or read a container’s readings', () => {
  it('a driver its vehicles’ compartments, a station its cold room, center staff any', () => {
    expect(containerRefusal({ role: 'driver', vehicleIds: ['V1'] }, 'V1/refrigerated')).toBeUndefined();
    expect(containerRefusal({ role: 'driver', vehicleIds: ['V1'] }, 'V2/refrigerated')).toContain('bound to vehicles V1');
    expect(containerRefusal({ role: 'station', stationId: 'S1' }, 'S1/cold-room')).toBeUndefined();
    expect(containerRefusal({ role: 'station', stationId: 'S1' }, 'V1/refrigerated')).toContain('bound to station S1');
    expect(containerRefusal({ role: 'operator' }, 'V2/refrigerated')).toBeUndefined();
  });
});

describe('the catalogue’s containers as the ingest asks them', () => {
  it('remembers a yes for good (containers are never deleted) and asks again after a no, county by county', async () => {
    const catalogue = new Set(['cn-1|V1/refrigerated']);
    const asked: string[][] = [];
    const ports = rememberingKnownContainers({
      knownContainers: async (_db, countyId, ids) => {
        asked.push([countyId, ...ids]);
        return new Set(ids.filter((id) => catalogue.has(`${countyId}|${id}`)));
      },
    });
    const db = {} as never;
    expect(await ports.knownContainers(db, 'cn-1', ['V1/refrigerated', 'V2/refrigerated'])).toEqual(new Set(['V1/refrigerated']));
    expect(await ports.knownContainers(db, 'cn-1', ['V1/refrigerated'])).toEqual(new Set(['V1/refrigerated']));
    // Master data adds V2: the next message finds it.
    catalogue.add('cn-1|V2/refrigerated');
    expect(await ports.knownContainers(db, 'cn-1', ['V1/refrigerated', 'V2/refrigerated'])).toEqual(new Set(['V1/refrigerated', 'V2/refrigerated']));
    // Another county's V1 is its own question.
    expect(await ports.knownContainers(db, 'cn-2', ['V1/refrigerated'])).toEqual(new Set());
    expect(asked).toEqual([['cn-1', 'V1/refrigerated', 'V2/refrigerated'], ['cn-1', 'V2/refrigerated'], ['cn-2', 'V1/refrigerated']]);
  });
});
