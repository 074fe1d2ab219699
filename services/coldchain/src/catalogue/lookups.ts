import type { Queryable } from '@county/platform';
import type { Profile } from './domain/profiles.js';
import { bindingsInContainer } from './store/bindings.js';
import { containerExists, existingContainers, expectedProfile } from './store/containers.js';
import { loadSettings, plainProfile } from './store/profiles.js';

/**
 * What the other features of coldchain ask the catalogue (the ingest: is this a container; the tracker: what does
 * it expect, whose goods are in it). Each takes the client to use, so it can run in the caller's transaction.
 */

/** Whether the county has this container, in service or retired (a retired vehicle's late readings still name it). */
export function knownContainer(db: Queryable, countyId: string, containerId: string): Promise<boolean> {
  return containerExists(db, countyId, containerId);
}

/** Of `containerIds`, those the county has (active or retired): the readings ingest checks a batch at once. */
export function knownContainers(db: Queryable, countyId: string, containerIds: readonly string[]): Promise<Set<string>> {
  return existingContainers(db, countyId, containerIds);
}

/** The profile the container expects (its own, else the county's default); undefined for an unknown container. */
export async function profileOfContainer(db: Queryable, countyId: string, containerId: string): Promise<Profile | undefined> {
  const settings = await loadSettings(db, countyId);
  const stored = await expectedProfile(db, countyId, containerId, settings.defaultProfileId);
  return stored && plainProfile(stored);
}

/**
 * The parcels bound to the container at any time in [from, to] (`to` omitted or null: from `from` on), by hand or
 * by the events, each once, sorted.
 */
export async function parcelsInContainer(db: Queryable, countyId: string, containerId: string, from: Date, to?: Date | null): Promise<string[]> {
  const bindings = await bindingsInContainer(db, countyId, containerId, from, to ?? null, 100_000);
  return [...new Set(bindings.map((b) => b.parcelId))].sort();
}
