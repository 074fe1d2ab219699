import { resolve } from 'node:path';

/**
 * npm runs workspace scripts inside the package, so a path the user typed is resolved against the
 * directory npm was started from (INIT_CWD).
 */
export function userPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
