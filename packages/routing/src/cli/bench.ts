import { fileURLToPath } from 'node:url';
import { benchCounty } from './bench-county.js';
import { benchCvrplib } from './bench-cvrplib.js';
import { emit } from './emit.js';
import { userPath } from './paths.js';

/**
 * `npm run bench:routing [-- PREFIX…]`: the CVRPLIB instances of ../shared/bench/cvrp (or
 * BENCH_DIR), then the county problems. Prefixes (`A-n3`, `X`, `county`) select a subset.
 */
const defaultDir = fileURLToPath(new URL('../../../../../shared/bench/cvrp/', import.meta.url));
const dir = process.env.BENCH_DIR ? userPath(process.env.BENCH_DIR) : defaultDir;
const only = process.argv.slice(2);
const cvrplibOnly = only.filter((prefix) => prefix !== 'county');

if (only.length === 0 || cvrplibOnly.length > 0) benchCvrplib(dir, cvrplibOnly, emit);
if (only.length === 0 || only.includes('county')) benchCounty(emit);
