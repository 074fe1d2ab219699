import { randomUUID } from 'node:crypto';
import {
  buildEvent,
  countySchema,
  masterDataKey,
  stationSchema,
  townSchema,
  villageSchema,
  type Envelope,
  type EventType,
  type MasterDataEntity,
  type MasterDataRecords,
  type ParcelEventData,
  type ParcelEventType,
} from '@county/contracts';
import { createKafka, createProducer, publish, type BaseConfig, type Producer } from '@county/platform';
import { testLogger } from '../../../tests/support/harness.js';

/**
 * Events as intake and coldchain publish them, for the trace read model's suites: master data validated by the
 * contracts, each step of a parcel with its state after it, and compliance records.
 */

export const COUNTY = 'cn-511623';
export const VILLAGE = { countyId: COUNTY, code: '511623101201', name: '桃园村', townId: 'taoyuan' };
export const OTHER_VILLAGE = { countyId: COUNTY, code: '511623101202', name: '李子坪村', townId: 'taoyuan' };

export function placeEvents(): { key: string; event: Envelope }[] {
  const county = countySchema.parse({
    id: COUNTY,
    name: '邻水县',
    timeZone: 'Asia/Shanghai',
    baselineCostPerParcelYuan: 2.6,
    waves: [{ id: 'am', departure: '07:00', cutoff: '22:00' }],
    defaultVehicleType: { name: '面包车', capacityKg: 1000, capacityM3: 6, costPerKmYuan: 2, costPerHourYuan: 30, fixedCostPerDayYuan: 250, maxShiftHours: 10 },
  });
  const station = (id: string, name: string, kind: 'center' | 'village', villageCodes: string[]) =>
    stationSchema.parse({
      countyId: COUNTY,
      id,
      name,
      kind,
      ...(kind === 'center' ? {} : { townId: 'taoyuan' }),
      location: { lat: 30.35, lng: 106.93 },
      openingHours: { daily: '08:00-18:00' },
      villageCodes,
    });
  return [
    masterDataEvent('county', county),
    masterDataEvent('town', townSchema.parse({ countyId: COUNTY, id: 'taoyuan', name: '桃园乡' })),
    masterDataEvent('village', villageSchema.parse(VILLAGE)),
    masterDataEvent('village', villageSchema.parse(OTHER_VILLAGE)),
    masterDataEvent('station', station('center', '邻水县物流配送中心', 'center', [])),
    masterDataEvent('station', station('vs-taoyuan', '桃园村服务站', 'village', [VILLAGE.code])),
    masterDataEvent('station', station('vs-liziping', '李子坪服务站', 'village', [OTHER_VILLAGE.code])),
  ];
}

const upserted: Partial<Record<MasterDataEntity, EventType>> = {
  county: 'masterdata.county_upserted',
  town: 'masterdata.town_upserted',
  village: 'masterdata.village_upserted',
  station: 'masterdata.station_upserted',
};

function masterDataEvent<E extends MasterDataEntity>(entity: E, record: MasterDataRecords[E]): { key: string; event: Envelope } {
  const key = masterDataKey(entity, record);
  return { key, event: buildEvent({ type: upserted[entity]!, countyId: COUNTY, subject: key, source: 'intake', data: record } as Parameters<typeof buildEvent>[0]) };
}

const steps = {
  manifested: { type: 'parcel.manifested', kind: 'manifested', state: 'manifested' },
  booked: { type: 'parcel.booked', kind: 'booked', state: 'booked' },
  collected: { type: 'parcel.collected', kind: 'collect', state: 'collected' },
  at_center: { type: 'parcel.arrived_at_center', kind: 'center_arrival', state: 'at_center' },
  handed_over: { type: 'parcel.handed_over', kind: 'linehaul_handover', state: 'handed_over' },
} as const satisfies Record<string, { type: ParcelEventType; kind: ParcelEventData['fact']['kind']; state: ParcelEventData['state'] }>;

export interface TestParcel {
  id: string;
  direction: 'upstream' | 'downstream';
  stationId: string;
  profileId?: string;
}

/** The event of a step of the parcel, as intake publishes it: booking and manifest carry the parcel (masked recipient downstream). */
export function stepEvent(parcel: TestParcel, step: keyof typeof steps, at: Date): { key: string; event: Envelope } {
  const s = steps[step];
  const upstream = parcel.direction === 'upstream';
  const data: ParcelEventData = {
    parcelId: parcel.id,
    courierId: 'zto',
    waybill: `ZT${parcel.id.slice(0, 8)}`,
    direction: parcel.direction,
    state: s.state,
    progress: s.state,
    exception: null,
    destinationStationId: upstream ? null : parcel.stationId,
    originStationId: upstream ? parcel.stationId : null,
    moved: true,
    confirming: false,
    fact: {
      id: randomUUID(),
      kind: s.kind,
      occurredAt: at.toISOString(),
      receivedAt: at.toISOString(),
      actor: { keyId: s.kind === 'booked' || s.kind === 'manifested' ? 'zto' : 'k-station-keeper', role: s.kind === 'booked' || s.kind === 'manifested' ? 'courier' : 'station' },
      ...(s.kind === 'collect' ? { stationId: parcel.stationId } : {}),
      ...(s.kind === 'center_arrival' ? { stationId: 'center' } : {}),
    },
    supersedes: [],
    ...(s.kind === 'booked' || s.kind === 'manifested'
      ? {
          parcel: {
            weightKg: 5,
            volumeM3: 0.02,
            serviceType: 'standard',
            ...(parcel.profileId ? { coldChainProfileId: parcel.profileId } : {}),
            ...(upstream ? {} : { recipient: { name: '张**', phone: '138****1111' } }),
          },
        }
      : {}),
  };
  return { key: parcel.id, event: buildEvent({ type: s.type, countyId: COUNTY, subject: parcel.id, source: 'intake', data, occurredAt: at }) };
}

export function complianceEvent(parcelId: string, revision: number, figures: { from: Date; to: Date; minutesInRange: number; minutesOutOfRange: number; minC: number; maxC: number; mktC: number; compliant: boolean }) {
  const data = {
    parcelId,
    revision,
    profileId: 'yellow-peach',
    from: figures.from.toISOString(),
    to: figures.to.toISOString(),
    containers: [{ containerId: 'reefer-1/refrigerated', from: figures.from.toISOString(), to: figures.to.toISOString() }],
    readings: 40,
    minutesInRange: figures.minutesInRange,
    minutesOutOfRange: figures.minutesOutOfRange,
    minC: figures.minC,
    maxC: figures.maxC,
    mktC: figures.mktC,
    excursions: [],
    precooling: { required: false, reachedAt: null, missed: false },
    compliant: figures.compliant,
    reasons: figures.compliant ? [] : ['out of range 46 min, 30 tolerated'],
  };
  return { key: 'reefer-1/refrigerated', event: buildEvent({ type: 'coldchain.compliance_recorded', countyId: COUNTY, subject: parcelId, source: 'coldchain', data }) };
}

export async function standInProducer(config: Pick<BaseConfig, 'KAFKA_BROKERS'>): Promise<Producer> {
  const producer = createProducer(createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'services-stand-in', logger: testLogger('stand-in') }));
  await producer.connect();
  return producer;
}

export async function publishTo(producer: Producer, topicPrefix: string, logicalTopic: string, messages: { key: string; event: Envelope }[]): Promise<void> {
  await publish(producer, `${topicPrefix}${logicalTopic}`, messages.map((m) => ({ key: m.key, value: JSON.stringify(m.event) })));
}
