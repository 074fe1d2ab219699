import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Every file under a `domain/` folder of one of dispatch's features. */
function domainFiles(dir = src, inDomain = false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return domainFiles(path, inDomain || entry.name === 'domain');
    return inDomain && entry.name.endsWith('.ts') ? [path] : [];
  });
}

function imports(text: string): { names: string; from: string }[] {
  return [...text.matchAll(/^import\s+(.*?)\s+from\s+'([^']+)'/gms)].map((m) => ({ names: m[1]!, from: m[2]! }));
}

const CLIENTS = /^(pg|kafkajs|ioredis|fastify|@fastify\/.*|@county\/platform)$/;

// As intake's test (services/intake/test/domain-purity.unit.test.ts), for dispatch's domain folders.
describe("dispatch's domain code", () => {
  const files = domainFiles();

  it('includes the field feature’s', () => {
    expect(files.some((f) => relative(src, f).startsWith('field/domain/'))).toBe(true);
  });

  it('imports no database, broker, cache, web framework or platform, and nothing outside domain code but packages', () => {
    for (const file of files) {
      for (const { names, from } of imports(readFileSync(file, 'utf8'))) {
        const where = `${relative(src, file)} imports ${names} from ${from}`;
        expect(CLIENTS.test(from), where).toBe(false);
        if (from.startsWith('.')) expect(join(file, '..', from).includes('/domain/'), where).toBe(true);
      }
    }
  });

  it('never reads the clock: time is passed in', () => {
    for (const file of files) expect(/new Date\(\)|Date\.now\(\)/.test(readFileSync(file, 'utf8')), relative(src, file)).toBe(false);
  });
});
