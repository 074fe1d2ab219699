// `npm run bench:console`: install, build (the web app too), make sure Chromium is there, then time each console
// page against the demo county (bench/console-pages.ts: the console answering at CONSOLE_URL, or `npm start` run
// for the time of the bench).
import { build, ensureDependencies, ROOT, run, say } from './lib/bootstrap.mjs';

ensureDependencies();
build();
const { ensureChromium } = await import('../infra/lib/index.mjs');
await ensureChromium();
say('benchmarking the console: each page until it shows its data, in headless Chromium');
process.exit(await run(`${ROOT}node_modules/.bin/tsx`, ['bench/console-pages.ts'], { env: process.env }));
