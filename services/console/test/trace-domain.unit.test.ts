import { describe, expect, it } from 'vitest';
import { waitingIn } from '../src/dead-letters/domain/waiting.js';
import { statusOf } from '../src/status/domain/status.js';
import { codeFrom, TRACE_CODE } from '../src/trace/domain/codes.js';
import { epcisDocument } from '../src/trace/domain/epcis.js';
import { langOf, tracePage } from '../src/trace/domain/page.js';
import { productName } from '../src/trace/domain/products.js';
import { localTime, offsetAt } from '../src/trace/domain/time.js';
import { traceView, type TraceRecord } from '../src/trace/domain/trace.js';

const at = (iso: string) => new Date(iso);

function record(overrides: Partial<TraceRecord> = {}): TraceRecord {
  return {
    code: 'q2V3-abcdefghijklmnopqr',
    countyId: 'cn-1',
    countyName: '邻水县',
    timeZone: 'Asia/Shanghai',
    profileId: 'yellow-peach',
    state: 'handed_over',
    originStation: { id: 'vs-1', name: '桃园村服务站', kind: 'village' },
    town: { id: 't-1', name: '桃园乡' },
    villages: [{ id: '511623101201', name: '桃园村' }],
    center: { id: 'center', name: '物流配送中心' },
    stationNames: { 'vs-1': '桃园村服务站', center: '物流配送中心' },
    steps: [
      { factId: 'f3', kind: 'center_arrival', occurredAt: at('2026-08-02T03:00:00Z'), stationId: 'center' },
      { factId: 'f1', kind: 'booked', occurredAt: at('2026-08-01T23:00:00Z'), stationId: null },
      { factId: 'f2', kind: 'collect', occurredAt: at('2026-08-01T23:30:00Z'), stationId: 'vs-1' },
      { factId: 'f9', kind: 'address_corrected', occurredAt: at('2026-08-02T04:00:00Z'), stationId: null },
    ],
    compliance: null,
    ...overrides,
  };
}

describe('the trace view', () => {
  it('orders the journey by when it happened, places each step, and leaves out facts a buyer has no use for', () => {
    const view = traceView(record());
    expect(view.steps.map((s) => [s.kind, s.place?.id])).toEqual([
      ['booked', 'vs-1'],
      ['collect', 'vs-1'],
      ['center_arrival', 'center'],
    ]);
    expect(view.collectedAt).toEqual(at('2026-08-01T23:30:00Z'));
  });

  it('has the cold chain pending with a profile and no record, none without a profile, recorded once there is one', () => {
    expect(traceView(record()).coldChain).toEqual({ status: 'pending' });
    expect(traceView(record({ profileId: null })).coldChain).toEqual({ status: 'none' });
    const compliance = { revision: 2, from: at('2026-08-02T00:00:00Z'), to: at('2026-08-02T03:00:00Z'), minutesInRange: 170, minutesOutOfRange: 10, minC: 1, maxC: 7, mktC: 3, compliant: true };
    expect(traceView(record({ compliance })).coldChain).toEqual({ status: 'recorded', ...compliance });
  });
});

describe('the trace page', () => {
  it('escapes what it prints from master data', () => {
    const html = tracePage(traceView(record({ villages: [{ id: 'v', name: '<script>alert(1)</script>' }] })), 'zh');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('is Chinese unless English is asked for', () => {
    expect(langOf(undefined)).toBe('zh');
    expect(langOf('fr')).toBe('zh');
    expect(langOf('en')).toBe('en');
    expect(productName('yellow-peach', 'zh')).toBe('黄桃');
    expect(productName('unheard-of', 'en')).toBe('unheard-of');
  });

  it('prints times in the county’s zone', () => {
    expect(localTime(at('2026-08-01T23:30:00Z'), 'Asia/Shanghai')).toBe('2026-08-02 07:30');
    expect(offsetAt(at('2026-08-01T23:30:00Z'), 'Asia/Shanghai')).toBe('+08:00');
    expect(offsetAt(at('2026-08-01T23:30:00Z'), 'UTC')).toBe('+00:00');
    expect(offsetAt(at('2026-01-15T12:00:00Z'), 'Asia/Kathmandu')).toBe('+05:45');
  });
});

describe('the EPCIS document', () => {
  it('names the parcel by its code, adds it with the first event and observes it after', () => {
    const doc = epcisDocument(traceView(record()), at('2026-08-03T00:00:00Z')) as { epcisBody: { eventList: Record<string, unknown>[] }; creationDate: string };
    expect(doc.creationDate).toBe('2026-08-03T00:00:00.000Z');
    expect(doc.epcisBody.eventList.map((e) => [e.action, e.bizStep, e.epcList])).toEqual([
      ['ADD', 'commissioning', ['urn:county:parcel:q2V3-abcdefghijklmnopqr']],
      ['OBSERVE', 'accepting', ['urn:county:parcel:q2V3-abcdefghijklmnopqr']],
      ['OBSERVE', 'arriving', ['urn:county:parcel:q2V3-abcdefghijklmnopqr']],
    ]);
    expect(doc.epcisBody.eventList.some((e) => 'sensorElementList' in e)).toBe(false);
  });
});

describe('codes, statuses and counts', () => {
  it('makes a 22-character base64url code of 128 random bits', () => {
    const code = codeFrom(Buffer.alloc(16, 0xfb));
    expect(code).toMatch(TRACE_CODE);
    expect(() => codeFrom(Buffer.alloc(8))).toThrow();
  });

  it('reads a service’s readiness as up, degraded or down', () => {
    expect(statusOf({ answered: true, httpStatus: 200, body: { status: 'ready' } })).toBe('up');
    expect(statusOf({ answered: true, httpStatus: 200, body: { status: 'degraded' } })).toBe('degraded');
    expect(statusOf({ answered: true, httpStatus: 503, body: { status: 'unready' } })).toBe('down');
    expect(statusOf({ answered: false })).toBe('down');
  });

  it('counts what waits on a topic as high minus low watermark over its partitions', () => {
    expect(waitingIn([{ low: '3', high: '10' }, { low: '0', high: '0' }, { low: '5', high: '6' }])).toBe(8);
  });
});
