/** What a key is bound to, as far as containers go (the platform's principal, without its import). */
export interface Scope {
  role: string;
  stationId?: string | undefined;
  vehicleIds?: readonly string[] | undefined;
}

/**
 * Whose containers a key may send or read readings of: county-wide roles any of the county's; a driver its
 * vehicles' compartments (`<vehicleId>/refrigerated`); a station its cold room (`<stationId>/cold-room`). Returns the
 * reason when it may not.
 */
export function containerRefusal(scope: Scope, containerId: string): string | undefined {
  const [owner, kind] = containerId.split('/');
  if (scope.role === 'driver') {
    return kind === 'refrigerated' && scope.vehicleIds?.includes(owner!) ? undefined : `this key is bound to vehicles ${(scope.vehicleIds ?? []).join(', ')}, not container ${containerId}`;
  }
  if (scope.role === 'station') {
    return kind === 'cold-room' && scope.stationId === owner ? undefined : `this key is bound to station ${scope.stationId}, not container ${containerId}`;
  }
  return undefined;
}
