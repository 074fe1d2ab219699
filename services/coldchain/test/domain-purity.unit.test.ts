import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Every file under a `domain/` folder of a feature. */
function domainFiles(dir = src, inDomain = false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return domainFiles(path, inDomain || entry.name === 'domain');
    return inDomain && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** What a module imports or re-exports, types included: domain code does not even name the platform's types. */
function imports(text: string): { names: string; from: string }[] {
  return [...text.matchAll(/^(?:import|export)\s+(.*?)\s+from\s+'([^']+)'/gms)].map((m) => ({ names: m[1]!, from: m[2]! }));
}

/** Databases, brokers, caches, web frameworks, the platform, and Node's own I/O (`node:fs`, `node:net`, …). */
const FORBIDDEN = /^(pg|kafkajs|ioredis|fastify|@fastify\/.*|@county\/platform|node:.*|fs|net|http|https|child_process)$/;

describe("coldchain's domain code", () => {
  const files = domainFiles();

  it('exists: the excursion rules are domain code', () => {
    const features = new Set(files.map((f) => relative(src, f).split('/')[0]));
    expect(features.has('monitoring')).toBe(true);
  });

  it('imports no database, broker, cache, web framework, platform or Node I/O, and nothing outside domain code but packages', () => {
    for (const file of files) {
      for (const { names, from } of imports(readFileSync(file, 'utf8'))) {
        const where = `${relative(src, file)} imports ${names} from ${from}`;
        expect(FORBIDDEN.test(from), where).toBe(false);
        if (from.startsWith('.')) expect(join(file, '..', from).includes('/domain/'), where).toBe(true);
      }
    }
  });

  it('never reads the clock: time is passed in', () => {
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(/new Date\(\)|Date\.now\(\)|performance\.now\(\)/.test(text), relative(src, file)).toBe(false);
    }
  });
});
