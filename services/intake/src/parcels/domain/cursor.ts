import { z } from 'zod';

/** Where a page ended: the exact `created_at` as Postgres keeps it (microseconds) and the id. */
export interface Cursor {
  createdAt: string;
  id: string;
}

const cursorSchema = z.tuple([z.iso.datetime({ precision: 6 }), z.uuid()]);

/** An opaque base64url token; clients pass it back as they got it. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeCursor(token: string): Cursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: parsed.data[0], id: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
}
