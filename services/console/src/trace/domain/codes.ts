/** A trace code: 16 random bytes (128 bits) in base64url, 22 characters; nothing about the parcel is in it. */
export const TRACE_CODE = /^[A-Za-z0-9_-]{22}$/;

export function codeFrom(randomBytes: Buffer): string {
  if (randomBytes.length < 16) throw new Error('a trace code needs at least 16 random bytes');
  return randomBytes.subarray(0, 16).toString('base64url');
}
