import { buildEvent, type Envelope, type ParcelEventData, parcelEventTypeOf, type ParcelFact } from '@county/contracts';
import { maskName, maskPhone } from './mask.js';
import { lifecycleOf, type ParcelRecord } from './parcel.js';

/**
 * The `parcel.*` event of an accepted fact, from the parcel as it is after the fact: the same
 * event whether one fact was applied (apply-fact.ts) or a new parcel started (start.ts).
 */
export function parcelEvent(source: string, parcel: ParcelRecord, fact: ParcelFact, kind: 'move' | 'recorded' | 'confirming', supersedes: string[]): Envelope<ParcelEventData> {
  const data: ParcelEventData = {
    parcelId: parcel.id,
    courierId: parcel.courierId,
    waybill: parcel.waybill,
    direction: parcel.direction,
    state: parcel.state,
    progress: parcel.progress as ParcelEventData['progress'],
    exception: parcel.exception as ParcelEventData['exception'],
    destinationStationId: parcel.destinationStationId,
    originStationId: parcel.originStationId,
    moved: kind === 'move',
    confirming: kind === 'confirming',
    fact: {
      id: fact.id,
      kind: fact.kind,
      occurredAt: fact.occurredAt,
      receivedAt: fact.receivedAt,
      actor: fact.actor,
      ...('stationId' in fact ? { stationId: fact.stationId } : {}),
      ...('routeId' in fact ? { routeId: fact.routeId } : {}),
      ...(fact.reason ? { reason: fact.reason } : {}),
    },
    supersedes,
    ...(fact.kind === 'manifested' || fact.kind === 'booked' ? { parcel: parcelSummary(parcel.contract) } : {}),
  };
  return buildEvent({
    type: parcelEventTypeOf(lifecycleOf(parcel), fact),
    countyId: parcel.countyId,
    subject: parcel.id,
    source,
    occurredAt: new Date(fact.occurredAt),
    data,
  });
}

function parcelSummary(contract: Record<string, unknown>): NonNullable<ParcelEventData['parcel']> {
  const recipient = contract.recipient as { name: string; phone: string } | undefined;
  return {
    weightKg: Number(contract.weightKg),
    volumeM3: Number(contract.volumeM3),
    ...(typeof contract.declaredValueYuan === 'number' ? { declaredValueYuan: contract.declaredValueYuan } : {}),
    ...(typeof contract.coldChainProfileId === 'string' ? { coldChainProfileId: contract.coldChainProfileId } : {}),
    serviceType: String(contract.serviceType ?? 'standard'),
    ...(recipient ? { recipient: { name: maskName(recipient.name), phone: maskPhone(recipient.phone) } } : {}),
  };
}
