import { z } from 'zod';
import { idSchema } from '../common.js';

/**
 * sla's alerts (issue #12 "Alerts"), on `sla.events`: parcel alerts keyed by parcel id, rate alerts by
 * `<countyId>/<leg>`. Every event carries the alert as sla stores it after the change. Instants are ISO-8601 UTC.
 */

const utc = z.iso.datetime({ offset: false });

export const slaLegSchema = z.enum(['center_to_town', 'town_to_village', 'center_to_village', 'village_to_center']);
export type SlaLeg = z.infer<typeof slaLegSchema>;

export const slaAlertSchema = z
  .object({
    alertId: z.uuid(),
    kind: z.enum(['breach', 'at_risk', 'eta_slip', 'rate']),
    leg: slaLegSchema,
    parcelId: z.uuid().nullable(),
    courierId: idSchema.nullable(),
    state: z.enum(['open', 'acknowledged', 'resolved']),
    raisedAt: utc,
    acknowledgedAt: utc.nullable(),
    acknowledgedBy: z.string().nullable(),
    resolvedAt: utc.nullable(),
    /**
     * breach: minutes, targetMinutes, endedAt (a leg that ended late) or deadline, eta, open: true (the clock passed
     * the deadline); at_risk and eta_slip: deadline, eta, etaSource, detectedAt (+ previousEta); rate: windowHours,
     * windowFrom, windowTo, legs, late, onTimeRate, targetRate, budget, budgetLeft.
     */
    details: z.record(z.string(), z.unknown()),
  })
  .strict();
export type SlaAlert = z.infer<typeof slaAlertSchema>;

export const slaEventDefinitions = {
  'sla.breach_detected': { description: 'A leg exceeded its target, or an open parcel passed its deadline.', data: slaAlertSchema },
  'sla.parcel_at_risk': { description: 'An open parcel’s ETA is past its deadline, before the deadline.', data: slaAlertSchema },
  'sla.eta_slipped': { description: 'A parcel’s ETA moved from within its deadline to past it.', data: slaAlertSchema },
  'sla.rate_below_target': { description: 'A leg’s on-time rate over the county’s rolling window fell below its target.', data: slaAlertSchema },
  'sla.rate_recovered': { description: 'A leg’s on-time rate is back at or above its target; the rate alert is resolved.', data: slaAlertSchema },
  'sla.alert_acknowledged': { description: 'An operator acknowledged an alert.', data: slaAlertSchema },
} as const;

export type SlaEventType = keyof typeof slaEventDefinitions;
export const slaEventTypes = Object.keys(slaEventDefinitions) as SlaEventType[];
