/**
 * The topics of docs/architecture.md §3, by logical name. The physical name is `TOPIC_PREFIX + name`, so tests
 * (and later a multi-tenant cluster) can isolate by prefix; ACLs can be applied by prefix too.
 */
export interface TopicSpec {
  name: string;
  description: string;
  /** What the message key is; per-key order is what consumers rely on. */
  key: string;
  /** Compacted topics keep the latest record per key, so late starters still get current state. */
  compacted: boolean;
  /** Who may publish to it from outside the platform (couriers, IoT gateways), if anyone. */
  external?: 'courier' | 'iot';
}

export const topics = {
  courierManifests: {
    name: 'courier.manifests',
    description: 'Courier manifests of parcels handed to the county center (up to 1,000 parcels).',
    key: 'courier id, the same as the envelope source and data.courierId (else dead-lettered)',
    compacted: false,
    external: 'courier',
  },
  courierBookings: {
    name: 'courier.bookings',
    description: 'Courier pickup bookings of produce at village stations.',
    key: 'courier id, the same as the envelope source and data.courierId (else dead-lettered)',
    compacted: false,
    external: 'courier',
  },
  masterdata: {
    name: 'masterdata.events',
    description: 'Master data and access-key changes, the latest per entity of each county.',
    // A province runs many counties on one cluster and ids are unique only within a county, so the
    // county is part of the key: without it compaction would keep one county's record only (#8).
    key: 'county and entity: <countyId>/<entity>:<id> (cn-511623/station:<id>, cn-511623/apikey:<keyId>, …)',
    compacted: true,
  },
  parcelEvents: { name: 'parcel.events', description: 'Parcel state changes.', key: 'parcel id', compacted: false },
  dispatchEvents: { name: 'dispatch.events', description: 'Plans, routes, departures, hand-overs.', key: 'route id', compacted: false },
  coldchainReadings: {
    name: 'coldchain.readings',
    description: 'Temperature readings from IoT gateways on vehicles and cold rooms.',
    key: 'container id',
    compacted: false,
    external: 'iot',
  },
  coldchainEvents: { name: 'coldchain.events', description: 'Excursions and compliance records.', key: 'container id', compacted: false },
  slaEvents: { name: 'sla.events', description: 'SLA breaches, at-risk, ETA-slip and rate alerts.', key: 'parcel id; rate alerts <countyId>/<leg>', compacted: false },
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof topics;

/**
 * One courier's own topic, `courier.status.<courierId>` (not in the catalogue above: the relay creates
 * each before its first publish to it). Parcel events are keyed by parcel id there too.
 */
export const courierStatusChannel = {
  name: 'courier.status.{courierId}',
  description: 'What one courier receives: its parcels’ events, its refused items and bookings, and the event opening the topic.',
  key: 'parcel id (parcel.*), manifest id (courier.manifest_rejected), booking id (courier.booking_rejected), courier id (courier.status_opened)',
  compacted: false,
} as const satisfies TopicSpec;

/** Compression codecs producers may use on the courier and IoT topics; every consumer reads all four. */
export const acceptedCompression = ['gzip', 'snappy', 'lz4', 'zstd'] as const;

/** Status updates for one courier only (docs/architecture.md "Topics"); per-courier ACLs apply by prefix. */
export function courierStatusTopic(courierId: string): string {
  return `courier.status.${courierId}`;
}

/** The key of an entity of a county on a topic shared by counties (`masterdata.events`): `<countyId>/<entity>`. */
export function countyScopedKey(countyId: string, entity: string): string {
  return `${countyId}/${entity}`;
}

export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
