import { z } from 'zod';
import { idSchema, instantSchema, textSchema } from '../common.js';
import { actorSchema } from '../lifecycle/index.js';

/**
 * Cold chain (docs/architecture.md §3 "Cold chain"): gateways send readings (Kafka `coldchain.readings`, REST,
 * MQTT — one validation); coldchain publishes excursions, alarms and per-parcel compliance on `coldchain.events`,
 * keyed by container id (compliance records by parcel id). Instants in events are ISO-8601 UTC.
 */

/**
 * A container: a vehicle's refrigerated compartment `<vehicleId>/refrigerated` or a station's cold room
 * `<stationId>/cold-room` (vehicle and station ids are master data's `idSchema`, which alone refuses the `/`).
 * A plain id is still accepted, as before: which containers exist is coldchain's to say, not the contract's.
 */
export const containerIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}(\/(refrigerated|cold-room))?$/,
    'a vehicle compartment `<vehicleId>/refrigerated` or a station cold room `<stationId>/cold-room`',
  );

/** One temperature reading from a gateway on a refrigerated vehicle or in a cold room. */
export const readingSchema = z
  .object({
    containerId: containerIdSchema,
    sensorId: idSchema,
    temperatureC: z.number().min(-60, 'at least −60 °C: no cold chain sensor reads lower').max(80, 'at most 80 °C'),
    humidityPct: z.number().min(0).max(100).optional(),
    measuredAt: instantSchema,
  })
  .strict();
export type Reading = z.infer<typeof readingSchema>;

/** A single reading as an event (kept for producers that send one per message). */
export const readingRecordedSchema = readingSchema;

/** What a gateway sends in one message: up to 1,000 readings (of one container when keyed by container). */
export const readingsSubmittedSchema = z
  .object({ gatewayId: idSchema.optional(), readings: z.array(z.unknown()).min(1).max(1_000) })
  .strict()
  .describe('each item is validated as a reading on its own: bad items are refused by index, the others kept');

const utc = z.iso.datetime({ offset: false });

export const alarmKindSchema = z.enum(['tolerance_exceeded', 'sensor_silent', 'precooling_missed']);
export const alarmSeveritySchema = z.enum(['critical', 'major', 'minor', 'warning']);

export const excursionOpenedSchema = z
  .object({
    excursionId: idSchema,
    containerId: containerIdSchema,
    profileId: idSchema,
    startedAt: utc,
    side: z.enum(['above', 'below']),
    temperatureC: z.number(),
    parcelIds: z.array(z.uuid()),
  })
  .strict();

export const excursionClosedSchema = z
  .object({
    excursionId: idSchema,
    containerId: containerIdSchema,
    startedAt: utc,
    endedAt: utc,
    minutesOutOfRange: z.number().nonnegative(),
    minC: z.number(),
    maxC: z.number(),
  })
  .strict();

/**
 * Late readings moved an excursion's start (a gateway back in coverage uploads the first minutes out of range) or
 * merged it into another: the excursion is kept for the record, replaced by the one that now holds its opening
 * reading (`supersededBy`; null when the late readings show no excursion there at all). Its alarm not yet cleared is
 * cleared; an acknowledgement of it is carried over to the replacing one's alarm.
 */
export const excursionSupersededSchema = z
  .object({
    excursionId: idSchema,
    containerId: containerIdSchema,
    startedAt: utc,
    supersededBy: idSchema.nullable(),
    at: utc,
    reason: z.string(),
  })
  .strict();

export const excursionResolvedSchema = z
  .object({
    excursionId: idSchema,
    containerId: containerIdSchema,
    resolution: z.enum(['released', 'downgraded', 'discarded']),
    by: actorSchema,
    at: utc,
    comment: textSchema.max(1_000).optional(),
  })
  .strict();

export const alarmRaisedSchema = z
  .object({
    alarmId: idSchema,
    containerId: containerIdSchema,
    kind: alarmKindSchema,
    severity: alarmSeveritySchema,
    raisedAt: utc,
    excursionId: idSchema.optional(),
    parcelIds: z.array(z.uuid()),
    detail: z.string(),
  })
  .strict();

export const alarmAcknowledgedSchema = z
  .object({ alarmId: idSchema, containerId: containerIdSchema, by: actorSchema, at: utc, comment: textSchema.max(1_000).optional() })
  .strict();

export const alarmClearedSchema = z
  .object({
    alarmId: idSchema,
    containerId: containerIdSchema,
    at: utc,
    /** Cleared by the data (readings back in range, the sensor heard again) or by a person. */
    by: actorSchema.optional(),
    comment: textSchema.max(1_000).optional(),
  })
  .strict();

/** A cold-chain parcel's record at hand-over or delivery; a late reading revises it (revision + 1). */
export const complianceRecordedSchema = z
  .object({
    parcelId: z.uuid(),
    revision: z.number().int().min(1),
    profileId: idSchema,
    from: utc,
    to: utc,
    containers: z.array(z.object({ containerId: containerIdSchema, from: utc, to: utc }).strict()),
    readings: z.number().int().nonnegative(),
    minutesInRange: z.number().nonnegative(),
    minutesOutOfRange: z.number().nonnegative(),
    minC: z.number().nullable(),
    maxC: z.number().nullable(),
    mktC: z.number().nullable(),
    excursions: z.array(z.object({ excursionId: idSchema, startedAt: utc, endedAt: utc.nullable(), minutes: z.number() }).strict()),
    precooling: z.object({ required: z.boolean(), reachedAt: utc.nullable(), missed: z.boolean() }).strict(),
    compliant: z.boolean(),
    reasons: z.array(z.string()),
  })
  .strict();

export const coldchainEventDefinitions = {
  'coldchain.excursion_opened': { description: 'A container left its profile’s range.', data: excursionOpenedSchema },
  'coldchain.excursion_closed': { description: 'A container’s readings came back in range.', data: excursionClosedSchema },
  'coldchain.excursion_superseded': { description: 'Late readings replaced an excursion by another (its start moved) or showed none there.', data: excursionSupersededSchema },
  'coldchain.excursion_resolved': { description: 'A quality manager decided what becomes of the goods of an excursion.', data: excursionResolvedSchema },
  'coldchain.alarm_raised': { description: 'Tolerated time out of range exceeded, a sensor silent too long, or pre-cooling missed.', data: alarmRaisedSchema },
  'coldchain.alarm_acknowledged': { description: 'Someone took charge of an alarm.', data: alarmAcknowledgedSchema },
  'coldchain.alarm_cleared': { description: 'An alarm’s cause is over.', data: alarmClearedSchema },
  'coldchain.compliance_recorded': { description: 'A cold-chain parcel’s compliance record at hand-over or delivery, or its revision.', data: complianceRecordedSchema },
} as const;

export type ColdchainEventType = keyof typeof coldchainEventDefinitions;
