import { describe, expect, it } from 'vitest';
import { defaultVolumeM3, differences, parseParcel, type ParcelContract } from '../src/parcels/domain/content.js';

const announced = {
  waybill: 'ZT1234567890',
  destination: { villageCode: '511623104201' },
  weightKg: 2.5,
  recipient: { name: '李四', phone: '13700001111' },
};

function parsed(raw: unknown): { contract: ParcelContract; hash: string } {
  const result = parseParcel(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result;
}

describe('an announced parcel', () => {
  it('gets its volume from its weight at 167 kg/m³ when it has none, to the cm³', () => {
    expect(defaultVolumeM3(2.5)).toBe(0.015);
    expect(defaultVolumeM3(0.0001)).toBe(0.000001);
    expect(parsed(announced).contract).toMatchObject({ volumeM3: 0.015, direction: 'downstream', serviceType: 'standard' });
    expect(parsed({ ...announced, volumeM3: 0.2 }).contract.volumeM3).toBe(0.2);
  });

  it('hashes the same whatever the key order and whether defaults are spelled out', () => {
    const { hash } = parsed(announced);
    const reordered = { recipient: { phone: '13700001111', name: '李四' }, weightKg: 2.5, destination: { villageCode: '511623104201' }, waybill: 'ZT1234567890' };
    expect(parsed(reordered).hash).toBe(hash);
    expect(parsed({ ...announced, direction: 'downstream', serviceType: 'standard', volumeM3: 0.015 }).hash).toBe(hash);
    expect(parsed({ ...announced, weightKg: 2.6 }).hash).not.toBe(hash);
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('is reported by field and reason when invalid', () => {
    const result = parseParcel({ ...announced, weightKg: -1, destination: undefined, extra: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path).sort()).toEqual(['', 'destination', 'weightKg']);
  });
});

describe('differences between a parcel kept and one announced again', () => {
  it('names every field that differs, and shows the values of all but people’s details', () => {
    const kept = parsed(announced).contract;
    const again = parsed({
      ...announced,
      weightKg: 3,
      destination: { stationId: 'st-9' },
      recipient: { name: '李四', phone: '13900002222' },
      sender: { name: '桃园合作社', phone: '02712345678' },
    }).contract;
    const found = differences(kept, again);
    expect(found).toEqual([
      { field: 'destination.stationId', description: 'destination.stationId: null → "st-9"', received: 'st-9' },
      { field: 'destination.villageCode', description: 'destination.villageCode: "511623104201" → null', kept: '511623104201' },
      { field: 'recipient.phone', description: 'recipient.phone differs' },
      { field: 'sender.name', description: 'sender.name differs' },
      { field: 'sender.phone', description: 'sender.phone differs' },
      { field: 'volumeM3', description: 'volumeM3: 0.015 → 0.018', kept: 0.015, received: 0.018 },
      { field: 'weightKg', description: 'weightKg: 2.5 → 3', kept: 2.5, received: 3 },
    ]);
    expect(JSON.stringify(found)).not.toMatch(/13900002222|13700001111|桃园|02712345678/);
    expect(differences(kept, kept)).toEqual([]);
  });
});
