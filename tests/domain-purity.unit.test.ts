import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every service keeps its rules in `domain/` folders of its features (docs/style.md, "Shape of a service"): pure
 * code, fast to unit-test, that names no client library, no platform, no Node I/O and never reads the clock. One
 * check for the services (the four and the console), and the features each must have there.
 */
const features: Record<string, string[]> = {
  intake: ['masterdata', 'parcels'],
  dispatch: ['field', 'planning'],
  coldchain: ['monitoring', 'readings'],
  sla: ['alerts', 'metrics', 'timeline'],
  console: ['dead-letters', 'status', 'trace'],
};

/**
 * Databases, brokers, caches, web frameworks, metrics, the platform, and Node's own I/O (`node:fs`, `node:net`, …);
 * `node:crypto` is computation (hashes, intake's booking codes), not I/O.
 */
const FORBIDDEN = /^(pg|kafkajs|ioredis|mqtt|fastify|@fastify\/.*|@county\/platform|prom-client|node:(?!crypto$).*|fs|net|http|https|child_process)$/;

/** Every file under a `domain/` folder of a feature. */
function domainFiles(dir: string, inDomain = false): string[] {
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

describe.each(Object.keys(features))("%s's domain code", (service) => {
  const src = fileURLToPath(new URL(`../services/${service}/src/`, import.meta.url));
  const files = domainFiles(src);

  it('exists in the features that hold its rules', () => {
    const found = new Set(files.map((f) => relative(src, f).split('/')[0]));
    for (const feature of features[service]!) expect(found.has(feature), `${service}/src/${feature}/domain`).toBe(true);
  });

  it('imports no database, broker, cache, web framework, metrics, platform or Node I/O, and nothing outside domain code but packages', () => {
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
      expect(/new Date\(\)|Date\.now\(\)|performance\.now\(\)/.test(readFileSync(file, 'utf8')), relative(src, file)).toBe(false);
    }
  });
});
