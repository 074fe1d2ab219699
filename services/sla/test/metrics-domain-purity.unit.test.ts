import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const domain = fileURLToPath(new URL('../src/metrics/domain/', import.meta.url));

/** What a module imports or re-exports, types included. */
function imports(text: string): { names: string; from: string }[] {
  return [...text.matchAll(/^(?:import|export)\s+(.*?)\s+from\s+'([^']+)'/gms)].map((m) => ({ names: m[1]!, from: m[2]! }));
}

const FORBIDDEN = /^(pg|kafkajs|ioredis|fastify|@fastify\/.*|@county\/platform|prom-client|node:.*|fs|net|http|https|child_process)$/;

describe("the metrics' domain code", () => {
  it('imports no database, broker, cache, web framework, platform or Node I/O, and nothing outside domain code but packages', () => {
    const files = readdirSync(domain).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      for (const { names, from } of imports(readFileSync(join(domain, f), 'utf8'))) {
        const where = `${relative(domain, f)} imports ${names} from ${from}`;
        expect(FORBIDDEN.test(from), where).toBe(false);
        if (from.startsWith('.')) expect(from.startsWith('./'), where).toBe(true);
      }
    }
  });
});
