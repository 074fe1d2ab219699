import { offsetAt } from './time.js';
import type { JourneyKind, TraceView } from './trace.js';

/**
 * The trace as an EPCIS 2.0 JSON-LD document (GS1 EPCIS 2.0 and CBV 2.0), for partners who trace in GS1's format:
 * one ObjectEvent per step, the parcel named by its trace code (never the internal id), the station as read point
 * and business location, and the cold-chain aggregates as a sensor element on the last event once recorded.
 */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
/** Our own terms beside the standard's (EPCIS 2.0 §7.1.2 user extensions): a namespace of this platform. */
const COUNTY_NS = 'urn:county:epcis:';

/** CBV 2.0 business steps and dispositions for the upstream facts. */
const cbv: Record<JourneyKind, { bizStep: string; disposition?: string }> = {
  booked: { bizStep: 'commissioning', disposition: 'active' },
  collect: { bizStep: 'accepting', disposition: 'in_progress' },
  center_arrival: { bizStep: 'arriving', disposition: 'in_progress' },
  linehaul_handover: { bizStep: 'shipping', disposition: 'in_transit' },
  damaged: { bizStep: 'inspecting', disposition: 'damaged' },
  lost: { bizStep: 'inspecting' },
};

export function parcelUrn(code: string): string {
  return `urn:county:parcel:${code}`;
}

export function stationUrn(countyId: string, stationId: string): string {
  return `urn:county:station:${encodeURIComponent(countyId)}:${encodeURIComponent(stationId)}`;
}

export function epcisDocument(view: TraceView, createdAt: Date): Record<string, unknown> {
  const epc = parcelUrn(view.code);
  const eventList = view.steps.map((step, index) => {
    const { bizStep, disposition } = cbv[step.kind];
    const place = step.place ? { id: stationUrn(view.countyId, step.place.id) } : undefined;
    return {
      type: 'ObjectEvent',
      eventTime: step.occurredAt.toISOString(),
      eventTimeZoneOffset: offsetAt(step.occurredAt, view.timeZone),
      epcList: [epc],
      action: index === 0 ? 'ADD' : 'OBSERVE',
      bizStep,
      ...(disposition ? { disposition } : {}),
      ...(place ? { readPoint: place, bizLocation: place } : {}),
    };
  });
  const cold = view.coldChain;
  const last = eventList.at(-1);
  if (cold.status === 'recorded' && last) {
    Object.assign(last, {
      sensorElementList: [
        {
          sensorMetadata: { startTime: cold.from.toISOString(), endTime: cold.to.toISOString() },
          sensorReport: [{ type: 'Temperature', ...(cold.minC !== null ? { minValue: cold.minC } : {}), ...(cold.maxC !== null ? { maxValue: cold.maxC } : {}), uom: 'CEL' }],
          'county:mktC': cold.mktC,
          'county:minutesInRange': cold.minutesInRange,
          'county:minutesOutOfRange': cold.minutesOutOfRange,
          'county:compliant': cold.compliant,
        },
      ],
    });
  }
  return {
    '@context': [EPCIS_CONTEXT, { county: COUNTY_NS }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: createdAt.toISOString(),
    epcisBody: { eventList },
  };
}
