/** Where an announced parcel goes (downstream) or is collected (upstream), as the courier named it. */
export type Destination = { stationId: string } | { villageCode: string };

/** How a resolved destination is looked up: `station:<id>` or `village:<code>`. */
export function keyOf(destination: Destination): string {
  return 'stationId' in destination ? `station:${destination.stationId}` : `village:${destination.villageCode}`;
}

/** Why a destination did not resolve, for the `address_unknown` fact and operators. */
export function unresolvedReason(countyId: string, destination: Destination): string {
  return 'stationId' in destination
    ? `station ${destination.stationId} is not an active village or town station of county ${countyId}`
    : `village ${destination.villageCode} is served by no active station of county ${countyId}`;
}
