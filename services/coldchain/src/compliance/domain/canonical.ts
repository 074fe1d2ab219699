/** JSON with object keys sorted, so two values compare equal whatever order their keys were built or stored in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export const sameContent = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
