import type { ApiKeyRecord } from '@county/contracts';

type Load = (keyId: string) => Promise<ApiKeyRecord | undefined>;

/**
 * Keeps recently used keys in process for a few seconds, so a busy key costs one Postgres query
 * per TTL rather than one per request. The TTL bounds how long a revocation (or a key this copy
 * has not heard of yet) can go unnoticed: keep it to seconds. Unknown ids are cached too, which
 * keeps a flood of made-up keys off Postgres. Concurrent lookups of one key share one query.
 */
export class KeyCache {
  private readonly entries = new Map<string, { value: Promise<ApiKeyRecord | undefined>; expiresAt: number }>();

  constructor(
    private readonly load: Load,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const at = this.now();
    const hit = this.entries.get(keyId);
    if (hit && hit.expiresAt > at) return hit.value;
    const value = this.load(keyId);
    if (this.ttlMs <= 0) return value;
    const entry = { value, expiresAt: at + this.ttlMs };
    // Re-inserting moves the key to the end, so the first entry is always the least recently loaded.
    this.entries.delete(keyId);
    this.entries.set(keyId, entry);
    // A failed lookup (Postgres down) is not remembered: the next request asks again.
    value.catch(() => {
      if (this.entries.get(keyId) === entry) this.entries.delete(keyId);
    });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return value;
  }

  /** Drops a key at once, for the instance that just changed or revoked it. */
  forget(keyId: string): void {
    this.entries.delete(keyId);
  }
}
