import { describe, expect, it } from 'vitest';
import { issuesFromZod, manifestParcelSchema, scanSchema, stationSchema, TEXT_REASON, textSchema } from '../src/index.js';

describe('text fields', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['a lone high surrogate', 'name\uD83D'],
    ['a lone low surrogate', '\uDE00name'],
    ['a reversed pair', '\uDE00\uD83D'],
    ['a control character', 'bell\u0007'],
    ['escape', '\u001B[31m'],
    ['DEL', 'x\u007F'],
  ])('refuse %s, saying why', (_, value) => {
    const result = textSchema.safeParse(value);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([TEXT_REASON]);
  });

  it.each([
    ['Chinese', '龙安镇中心站'],
    ['an emoji, a well-formed surrogate pair', '🍊 脐橙'],
    ['tab and line breaks', 'row 1\tcell\r\nrow 2\n'],
    ['the empty string', ''],
  ])('accept %s', (_, value) => {
    expect(textSchema.parse(value)).toBe(value);
  });

  it('are refused in a parcel by the field’s path, with the other checks still applied', () => {
    const parcel = {
      waybill: 'ZT\u00007810002231',
      destination: { villageCode: '511623104201' },
      weightKg: 1.2,
      recipient: { name: '张\uD800三', phone: '13800001111' },
      sender: { name: '', phone: '13800002222' },
    };
    const result = manifestParcelSchema.safeParse(parcel);
    expect(result.success).toBe(false);
    expect(issuesFromZod(result.error!)).toEqual([
      { path: 'waybill', reason: TEXT_REASON },
      { path: 'recipient.name', reason: TEXT_REASON },
      { path: 'sender.name', reason: expect.stringMatching(/>=1 characters/) },
    ]);
  });

  it('are refused in master data and scans', () => {
    const station = stationSchema.safeParse({
      countyId: 'cn-511623',
      id: 'vs-1',
      name: '站\u0000',
      kind: 'center',
      location: { lat: 31.1, lng: 105.1 },
      address: '路\uDFFF',
      openingHours: { mon: '08:00-18:00' },
    });
    expect(issuesFromZod(station.error!).filter((issue) => issue.reason === TEXT_REASON).map((issue) => issue.path)).toEqual(['name', 'address']);
    const scan = scanSchema.safeParse({
      scanId: 's\u0000',
      kind: 'damaged',
      parcel: { courierId: 'zto', waybill: 'ZT\uD8007810' },
      occurredAt: '2026-06-10T10:00:00+08:00',
      stationId: 'center',
      reason: 'wet\u0000',
    });
    expect(issuesFromZod(scan.error!).map((issue) => issue.path)).toEqual(['scanId', 'parcel.waybill', 'reason']);
  });
});
