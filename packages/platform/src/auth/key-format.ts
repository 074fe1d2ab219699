import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `ck_<keyId>_<secret>`: the key id lets a service find the record without
 * scanning, and is what logs and events name; the secret is 32 random bytes (base64url, 43 chars).
 */
const KEY_PATTERN = /^ck_([a-z0-9]{8,64})_([A-Za-z0-9_-]{43})$/;
const SECRET_BYTES = 32;

export function newKeyId(): string {
  return randomBytes(8).toString('hex');
}

/** A fresh key for a key id; the caller shows it once and stores only its hash. */
export function generateKey(keyId: string = newKeyId()): { keyId: string; key: string } {
  return { keyId, key: `ck_${keyId}_${randomBytes(SECRET_BYTES).toString('base64url')}` };
}

/** The key id of a well-formed key; undefined for anything else (which is then simply unknown). */
export function parseKey(presented: string): { keyId: string } | undefined {
  const match = KEY_PATTERN.exec(presented);
  return match ? { keyId: match[1]! } : undefined;
}

/**
 * SHA-256, not bcrypt or argon2: those slow hashes exist to make guessing low-entropy passwords
 * expensive. A key carries 256 random bits, so no hash speed makes guessing feasible, and a fast
 * hash keeps the check off the request's critical path (every request is authenticated).
 */
export function hashKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/** Compares in constant time, so response timing says nothing about how much of a hash matched. */
export function keyMatches(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash.replace(/^sha256:/, ''), 'hex');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
