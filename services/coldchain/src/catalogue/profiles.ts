import type { PoolClient } from '@county/platform';
import { fail } from '../errors.js';
import { profileOf, type ProfileBody } from './domain/profiles.js';
import { deleteProfile, findProfile, lockProfiles, profileUses, saveProfile, saveSettings, seedProfiles, type StoredProfile } from './store/profiles.js';
import { findContainer, setContainerProfile, type StoredContainer } from './store/containers.js';
import { loadSettings } from './store/profiles.js';

/**
 * The catalogue's commands on profiles and on which profile a container expects (admins and operators through
 * http/). Writers of one county's profiles take turns (an advisory lock), so a profile cannot be deleted while a
 * container is being pointed at it.
 */
export interface CatalogueChange {
  countyId: string;
  by: string;
  at: Date;
}

export async function putProfile(tx: PoolClient, change: CatalogueChange, profileId: string, body: ProfileBody): Promise<{ profile: StoredProfile; created: boolean }> {
  await seedProfiles(tx, change.countyId, change.at);
  await lockProfiles(tx, change.countyId);
  const created = await saveProfile(tx, change.countyId, profileOf(profileId, body), change.by, change.at);
  return { profile: (await findProfile(tx, change.countyId, profileId))!, created };
}

export async function removeProfile(tx: PoolClient, change: CatalogueChange, profileId: string): Promise<void> {
  await seedProfiles(tx, change.countyId, change.at);
  await lockProfiles(tx, change.countyId);
  if (!(await findProfile(tx, change.countyId, profileId))) throw fail('PROFILE_NOT_FOUND', `no profile ${profileId} in this county`);
  const uses = await profileUses(tx, change.countyId, profileId);
  const details = [
    ...(uses.isDefault ? [{ path: 'settings.defaultProfileId', reason: 'the county’s default profile' }] : []),
    ...uses.containerIds.map((id) => ({ path: `containers.${id}`, reason: 'expects this profile' })),
  ];
  if (details.length > 0) throw fail('PROFILE_IN_USE', undefined, details);
  await deleteProfile(tx, change.countyId, profileId);
}

/** Points a container at a profile, or back at the county's default (null). */
export async function setExpectedProfile(tx: PoolClient, change: CatalogueChange, containerId: string, profileId: string | null): Promise<StoredContainer> {
  await seedProfiles(tx, change.countyId, change.at);
  await lockProfiles(tx, change.countyId);
  const settings = await loadSettings(tx, change.countyId);
  if (!(await findContainer(tx, change.countyId, containerId, settings.defaultProfileId))) throw fail('CONTAINER_NOT_FOUND', `no container ${containerId} in this county`);
  if (profileId !== null && !(await findProfile(tx, change.countyId, profileId))) {
    throw fail('PROFILE_UNKNOWN', undefined, [{ path: 'body.profileId', reason: `no profile ${profileId} in this county` }]);
  }
  await setContainerProfile(tx, change.countyId, containerId, profileId, change.by, change.at);
  return (await findContainer(tx, change.countyId, containerId, settings.defaultProfileId))!;
}

export async function setDefaultProfile(tx: PoolClient, change: CatalogueChange, profileId: string): Promise<void> {
  await seedProfiles(tx, change.countyId, change.at);
  await lockProfiles(tx, change.countyId);
  if (!(await findProfile(tx, change.countyId, profileId))) {
    throw fail('PROFILE_UNKNOWN', undefined, [{ path: 'body.defaultProfileId', reason: `no profile ${profileId} in this county` }]);
  }
  await saveSettings(tx, change.countyId, profileId, change.by, change.at);
}
