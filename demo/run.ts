/**
 * The demo's steps, which `npm start` and `npm run demo:once` (scripts/start.mjs) take around starting and stopping
 * the four services: is the demo county there; the clock of its simulated day; the first admin key, saved to
 * `.demo/admin-key`; seeding and simulating the day (demo/simulator) with a progress line per simulated hour; and
 * the bureau's summary with the account of every parcel; then the county's gateways, which keep reporting.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountParcels, type Account } from './account.js';
import type { DemoCounty, DemoDemand } from './demo-types.js';
import { api } from './http.js';
import { startGateways, type KeepAlive } from './simulator/gateways.js';
import { seedDemoCounty, simulateDay, type DayResult, type DemoClock, type DemoEndpoints, type HourProgress } from './simulator/index.js';
import { benchLines, formatSummary, readSummary, type DaySummary, type ServiceUrls } from './summary.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO_DIR = resolve(ROOT, process.env.DEMO_DIR ?? '.demo');
/** Where the demo's admin key is kept (git-ignored): printed once, read by every later `npm start`. */
export const KEY_FILE = resolve(DEMO_DIR, 'admin-key');
/** What the simulated day was (its date, clock, waybills, injected faults), written once it is done. */
export const DAY_FILE = resolve(DEMO_DIR, 'day.json');
/** An admin key with a high rate limit, for the account's thousands of reads (an admin key's default is 1,200 a minute). */
const AUDIT_KEY_FILE = resolve(DEMO_DIR, 'audit-key');

export function loadCounty(): DemoCounty {
  return JSON.parse(readFileSync(resolve(ROOT, 'demo/county/county.json'), 'utf8')) as DemoCounty;
}

export function loadDemand(): DemoDemand {
  return JSON.parse(readFileSync(resolve(ROOT, 'demo/county/demand.json'), 'utf8')) as DemoDemand;
}

/** The county's local date of an instant (Asia/Shanghai has no daylight saving). */
export function localDate(at: Date, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export interface DayPlan {
  day: string;
  clock: DemoClock;
}

/**
 * The simulated day is yesterday in the county; the services' clock shows its 00:00 (+08:00) `leadSeconds` from
 * now (time to restart the services, create the key and seed the county first) and runs `rate` times real time,
 * so it reaches today's 00:00 24 h / rate later.
 */
export function planDay(now: Date, rate: number, leadSeconds = 60): DayPlan {
  const day = localDate(new Date(now.getTime() - 86_400_000));
  return { day, clock: { start: new Date(`${day}T00:00:00+08:00`), rate, origin: new Date(now.getTime() + leadSeconds * 1000) } };
}

/** The services' clock settings for a day plan. */
export function clockEnv(plan: DayPlan): Record<string, string> {
  return { CLOCK_START: plan.clock.start.toISOString(), CLOCK_RATE: String(plan.clock.rate), CLOCK_ORIGIN: plan.clock.origin.toISOString() };
}

export function savedKey(): string | undefined {
  return existsSync(KEY_FILE) ? readFileSync(KEY_FILE, 'utf8').trim() || undefined : undefined;
}

export function savedDay(): (DayResult & { day: string; clock: { start: string; rate: number; origin: string }; seconds: number }) | undefined {
  return existsSync(DAY_FILE) ? JSON.parse(readFileSync(DAY_FILE, 'utf8')) : undefined;
}

/** Whether intake holds the demo county: asked with the saved key (no key, or one intake does not know: not there). */
export async function countyPresent(intakeUrl: string): Promise<boolean> {
  const key = savedKey();
  if (!key) return false;
  const res = await api('GET', `${intakeUrl}/counties/${loadCounty().county.id}`, key);
  return res.status === 200;
}

/** Issues the county's first admin key with intake's command (against the services' schema and topics) and saves it. */
export function createAdminKey(env: NodeJS.ProcessEnv): Promise<string> {
  const countyId = loadCounty().county.id;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['services/intake/dist/commands/create-admin-key.js', '--county', countyId, '--name', 'demo admin'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return fail(new Error(`create-admin-key exited ${code}: ${err.slice(-500)}`));
      const key = out.trim();
      mkdirSync(DEMO_DIR, { recursive: true });
      writeFileSync(KEY_FILE, `${key}\n`, { mode: 0o600 });
      done(key);
    });
  });
}

/** Resolves once every service knows the key (keys replicate from intake over Kafka). */
export async function keyKnown(urls: ServiceUrls, key: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const [name, url] of Object.entries(urls)) {
    while ((await api('GET', `${url}/auth/whoami`, key).catch(() => ({ status: 0 }))).status !== 200) {
      if (Date.now() > deadline) throw new Error(`${name} did not learn the admin key within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export interface RunDayOptions {
  urls: ServiceUrls;
  env: NodeJS.ProcessEnv;
  plan: DayPlan;
  adminKey: string;
  seed?: number;
  scale?: number;
  onHour?: (line: string) => void;
  signal?: AbortSignal;
}

/** Seeds the county and drives its day through the services; writes `.demo/day.json` when it is done. */
export async function runDay(options: RunDayOptions): Promise<DayResult> {
  const started = Date.now();
  const county = loadCounty();
  const endpoints: DemoEndpoints = {
    urls: options.urls,
    kafkaBrokers: String(options.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    topicPrefix: String(options.env.TOPIC_PREFIX ?? ''),
    mqttUrl: String(options.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883'),
  };
  const demand = loadDemand();
  await seedDemoCounty({ county, endpoints, adminKey: options.adminKey, demand, day: options.plan.day });
  const result = await simulateDay({
    county,
    endpoints,
    adminKey: options.adminKey,
    demand,
    clock: options.plan.clock,
    day: options.plan.day,
    seed: options.seed ?? demand.seed,
    ...(options.scale === undefined ? {} : { scale: options.scale }),
    onHour: (p: HourProgress) => options.onHour?.(progressLine(p)),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  mkdirSync(DEMO_DIR, { recursive: true });
  const clock = { start: options.plan.clock.start.toISOString(), rate: options.plan.clock.rate, origin: options.plan.clock.origin.toISOString() };
  writeFileSync(DAY_FILE, `${JSON.stringify({ day: options.plan.day, clock, seconds: (Date.now() - started) / 1000, ...result }, null, 2)}\n`);
  return result;
}

/** The county's local date and time of an instant, `YYYY-MM-DD HH:MM`. */
export function localTime(at: Date, timeZone = 'Asia/Shanghai'): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export function progressLine(p: HourProgress): string {
  return (
    `${localTime(new Date(p.simulatedTime))}  hour ${String(p.hour).padStart(2, '0')}: ${p.parcelsAnnounced} parcels announced, ` +
    `${p.parcelsDelivered} delivered, ${p.routesConfirmed} routes confirmed, ${p.readingsSent} cold-chain readings`
  );
}

export interface Report {
  summary: DaySummary;
  account: Account;
  text: string;
  bench: string;
}

/** The audit key (`.demo/audit-key`), issued with the admin key the first time and known to every service. */
export async function auditKey(urls: ServiceUrls, adminKey: string): Promise<string> {
  let key = existsSync(AUDIT_KEY_FILE) ? readFileSync(AUDIT_KEY_FILE, 'utf8').trim() : '';
  if (!key || (await api('GET', `${urls.intake}/auth/whoami`, key)).status !== 200) {
    const res = await api<{ key: string }>('POST', `${urls.intake}/keys`, adminKey, { role: 'admin', name: 'demo audit (account of every parcel)', rateLimitPerMinute: 100_000 });
    if (res.status !== 201) throw new Error(`POST /keys: ${res.status} ${JSON.stringify(res.body)}`);
    key = res.body.key;
    mkdirSync(DEMO_DIR, { recursive: true });
    writeFileSync(AUDIT_KEY_FILE, `${key}\n`, { mode: 0o600 });
  }
  await keyKnown(urls, key);
  return key;
}

/** The bureau's summary of `day` and the account of its parcels, as text and as bench lines. */
export async function report(withConsole: ServiceUrls, adminKey: string, day: string, seconds: number): Promise<Report> {
  // The figures and the account come from the four services; the console is only named in the text.
  const { console: _console, ...urls } = withConsole;
  const summary = await readSummary(urls, adminKey, day);
  const saved = savedDay();
  const audit = await auditKey(urls, adminKey);
  const account = await accountParcels({ urls, adminKey: audit, ...(saved?.waybills ? { waybills: saved.waybills } : {}), settleMs: 60_000 });
  const reasons = new Map<string, number>();
  for (const u of account.unaccounted) reasons.set(u.reason ?? '', (reasons.get(u.reason ?? '') ?? 0) + 1);
  const text =
    formatSummary(summary, withConsole) +
    `  every parcel in all four services' views: ${account.parcels} parcels, ${account.unaccounted.length} not in the same final state everywhere\n` +
    [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([reason, n]) => `    ${n} × ${reason}\n`).join('') +
    `  the admin key: ${KEY_FILE}\n`;
  const bench = benchLines(summary, { unaccountedParcels: account.unaccounted.length, seconds })
    .map((line) => JSON.stringify(line))
    .join('\n');
  return { summary, account, text, bench: `${bench}\n` };
}

/**
 * After the day: the demo county's gateways go on reporting on the services' clock (real time after the demo), one
 * reading per sensor every 30 s over MQTT (demo/simulator/gateways.ts); the cold room the day made fall silent stays
 * silent. Stopped with `stop()`.
 */
export async function keepGateways(options: { coldchainUrl: string; env: NodeJS.ProcessEnv; adminKey: string; onError?: (err: Error) => void }): Promise<KeepAlive> {
  const { env } = options;
  const day = savedDay();
  const clock = env.CLOCK_START
    ? { start: new Date(env.CLOCK_START), rate: Number(env.CLOCK_RATE ?? 1), origin: env.CLOCK_ORIGIN ? new Date(env.CLOCK_ORIGIN) : new Date() }
    : undefined;
  return startGateways({
    county: loadCounty(),
    coldchainUrl: options.coldchainUrl,
    adminKey: options.adminKey,
    mqttUrl: String(env.MQTT_URL ?? 'mqtt://127.0.0.1:1883'),
    topicPrefix: String(env.TOPIC_PREFIX ?? ''),
    ...(day?.injected?.silentSensor ? { silentContainerId: day.injected.silentSensor.containerId } : {}),
    seed: loadDemand().seed,
    ...(clock ? { clock } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
}
