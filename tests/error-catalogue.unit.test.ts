import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rejectionCodes } from '@county/contracts';
import { defineErrors, platformErrors, type ErrorCatalogue } from '@county/platform';
import { describe, expect, it } from 'vitest';
import { coldchainErrors } from '../services/coldchain/src/errors.js';
import { dispatchErrors } from '../services/dispatch/src/errors.js';
import { intakeErrors } from '../services/intake/src/errors.js';
import { slaErrors } from '../services/sla/src/errors.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every catalogue, by where its codes are thrown: the platform's, and each service's (platform's included). */
const catalogues: Record<string, ErrorCatalogue> = {
  'packages/platform': platformErrors,
  'services/intake': intakeErrors,
  'services/dispatch': dispatchErrors,
  'services/coldchain': coldchainErrors,
  'services/sla': slaErrors,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The codes a source file throws or answers with: `fail('CODE'`, `platformError('CODE'`. */
function codesUsed(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/\b(?:fail|platformError)\(\s*'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!);
}

describe('the error catalogue', () => {
  it('holds every code the platform and the services throw or answer with', () => {
    const missing: string[] = [];
    let used = 0;
    for (const [home, catalogue] of Object.entries(catalogues)) {
      for (const file of sources(join(root, home, 'src'))) {
        for (const code of codesUsed(file)) {
          used += 1;
          if (!(code in catalogue)) missing.push(`${relative(root, file)}: ${code}`);
        }
      }
    }
    expect(used).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('holds every refusal of the parcel lifecycle, which intake answers with', () => {
    expect(rejectionCodes.filter((code) => !(code in intakeErrors))).toEqual([]);
  });

  it('gives a code one status everywhere', () => {
    const statuses = new Map<string, Set<string>>();
    for (const [home, catalogue] of Object.entries(catalogues)) {
      for (const [code, { status }] of Object.entries(catalogue)) {
        statuses.set(code, (statuses.get(code) ?? new Set()).add(`${status} (${home})`));
      }
    }
    const clashes = [...statuses].filter(([, found]) => new Set([...found].map((s) => s.split(' ')[0])).size > 1);
    expect(clashes).toEqual([]);
  });

  it('refuses a service code that redefines a platform code', () => {
    // @ts-expect-error FORBIDDEN is the platform's
    expect(() => defineErrors({ FORBIDDEN: { status: 400, message: 'no' } })).toThrow('error codes already defined by the platform: FORBIDDEN');
  });

  it('makes errors with the status of their code, and the message given or the catalogue’s', () => {
    const { fail } = defineErrors({ WAVE_CLOSED: { status: 409, message: 'the wave has left' } });
    expect(fail('WAVE_CLOSED')).toMatchObject({ code: 'WAVE_CLOSED', statusCode: 409, message: 'the wave has left' });
    expect(fail('UNAVAILABLE', 'later')).toMatchObject({ code: 'UNAVAILABLE', statusCode: 503, message: 'later' });
  });
});
