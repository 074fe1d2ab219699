import type { PoolClient } from '@county/platform';
import { fail } from '../errors.js';
import type { CustodyListener } from './custody.js';
import { closeManualBinding, insertManualBinding, lockBinding, type StoredBinding } from './store/bindings.js';
import { containerExists } from './store/containers.js';
import { countyOfColdParcel, lockColdParcels, registerColdParcels } from './store/custody.js';

/** How far ahead of the clock a binding's times may be: a handheld's clock runs a little fast, no more. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface ManualBindingRequest {
  countyId: string;
  parcelId: string;
  containerId: string;
  from: string;
  to: string | null;
  reason: string;
  by: string;
  at: Date;
}

/**
 * An operator binds a parcel to a container by hand (a transfer the events missed, a correction), saying who and
 * why. The parcel becomes a cold-chain parcel if it was not one; a compliance record it has is revised.
 */
export async function bindByHand(tx: PoolClient, request: ManualBindingRequest, custody: CustodyListener): Promise<StoredBinding> {
  const latest = new Date(request.at.getTime() + CLOCK_SKEW_MS).toISOString();
  const issues = [
    ...(request.from > latest ? [{ path: 'body.from', reason: `in the future: the clock says ${request.at.toISOString()}` }] : []),
    ...(request.to !== null && request.to <= request.from ? [{ path: 'body.to', reason: `not after from (${request.from})` }] : []),
    ...(request.to !== null && request.to > latest ? [{ path: 'body.to', reason: `in the future: the clock says ${request.at.toISOString()}; leave it out while the parcel is still there` }] : []),
  ];
  if (issues.length > 0) throw fail('BINDING_INVALID', undefined, issues);
  if (!(await containerExists(tx, request.countyId, request.containerId))) {
    throw fail('CONTAINER_UNKNOWN', undefined, [{ path: 'body.containerId', reason: `no container ${request.containerId} in this county` }]);
  }
  await ownParcel(tx, request.countyId, request.parcelId);
  await lockColdParcels(tx, [request.parcelId]);
  const binding = await insertManualBinding(tx, request);
  await custody.afterCustody(tx, { countyId: request.countyId, triggers: [], touched: [request.parcelId] });
  return binding;
}

/** Closes a binding made by hand at `to` (default: now), saying who and why. */
export async function closeByHand(
  tx: PoolClient,
  request: { countyId: string; bindingId: string; to: string; reason: string; by: string; at: Date },
  custody: CustodyListener,
): Promise<StoredBinding> {
  const binding = await lockBinding(tx, request.countyId, request.bindingId);
  if (!binding) throw fail('BINDING_NOT_FOUND', `no binding ${request.bindingId} in this county`);
  if (binding.origin !== 'manual') throw fail('BINDING_FROM_EVENTS');
  if (binding.to !== null) throw fail('BINDING_CLOSED', `the binding was closed at ${binding.to}`);
  const latest = new Date(request.at.getTime() + CLOCK_SKEW_MS).toISOString();
  if (request.to <= binding.from) throw fail('BINDING_INVALID', undefined, [{ path: 'body.to', reason: `not after the binding’s from (${binding.from})` }]);
  if (request.to > latest) throw fail('BINDING_INVALID', undefined, [{ path: 'body.to', reason: `in the future: the clock says ${request.at.toISOString()}` }]);
  await lockColdParcels(tx, [binding.parcelId]);
  const closed = await closeManualBinding(tx, request.countyId, request.bindingId, request.to, request.by, request.reason);
  await custody.afterCustody(tx, { countyId: request.countyId, triggers: [], touched: [binding.parcelId] });
  return closed;
}

/** The parcel is this county's cold-chain parcel from now on; one of another county is refused. */
async function ownParcel(tx: PoolClient, countyId: string, parcelId: string): Promise<void> {
  const owner = await countyOfColdParcel(tx, parcelId);
  if (owner !== undefined && owner !== countyId) throw fail('PARCEL_OF_ANOTHER_COUNTY', `no parcel ${parcelId} in this county`);
  if (owner === undefined) await registerColdParcels(tx, countyId, [{ parcelId, courierId: null, direction: null, profileId: null }]);
}
