/** The catalogue as the rest of coldchain uses it. */
export { knownContainer, knownContainers, parcelsInContainer, profileOfContainer } from './lookups.js';
export type { Profile } from './domain/profiles.js';
export { compartmentOf, coldRoomOf } from './domain/containers.js';
