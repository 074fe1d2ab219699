import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createHttpApp, createLogger, createMetricsRegistry } from '../src/index.js';

/** An app logging at `level` into memory, with one ordinary route beside the probes. */
async function appLoggingAt(level: 'info' | 'debug') {
  const lines: { level: string; msg: string; req?: { url: string }; reqId?: string }[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()));
      callback();
    },
  });
  const app = await createHttpApp({
    service: 'test',
    logger: createLogger({ service: 'test', level, destination }),
    metrics: createMetricsRegistry('test'),
    health: [],
  });
  app.get('/parcels', async () => []);
  await app.ready();
  /** The request lines of one request, by the request id it was sent with. */
  const linesOf = (reqId: string) => lines.filter((l) => l.reqId === reqId).map((l) => `${l.level} ${l.msg}`);
  return { app, linesOf };
}

describe('request logs', () => {
  it('at info, health probes and metric scrapes write no line while other requests do', async () => {
    const { app, linesOf } = await appLoggingAt('info');
    for (const url of ['/health/live', '/health/ready', '/metrics', '/parcels']) {
      await app.inject({ method: 'GET', url, headers: { 'x-request-id': `r${url.replaceAll('/', '-')}` } });
    }
    expect(linesOf('r-health-live')).toEqual([]);
    expect(linesOf('r-health-ready')).toEqual([]);
    expect(linesOf('r-metrics')).toEqual([]);
    expect(linesOf('r-parcels')).toEqual(['info incoming request', 'info request completed']);
    await app.close();
  });

  it('at debug, probes are logged at debug', async () => {
    const { app, linesOf } = await appLoggingAt('debug');
    await app.inject({ method: 'GET', url: '/health/ready', headers: { 'x-request-id': 'probe' } });
    expect(linesOf('probe')).toEqual(['debug incoming request', 'debug request completed']);
    await app.close();
  });
});
