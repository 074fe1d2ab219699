import { describe, expect, it } from 'vitest';
import { maskName, maskPhone } from '../src/parcels/domain/mask.js';

describe('recipient masking', () => {
  it('keeps the surname only', () => {
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('李')).toBe('李*');
    expect(maskName(' 欧阳娜娜 ')).toBe('欧***');
  });

  it('keeps the first three and last four digits of a phone', () => {
    expect(maskPhone('13912345678')).toBe('139****5678');
    expect(maskPhone('0816-2345678')).toBe('081****5678');
    expect(maskPhone('12345')).toBe('*****');
  });
});
