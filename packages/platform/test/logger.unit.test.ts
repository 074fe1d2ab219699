import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { lines, destination };
}

describe('logging', () => {
  it('writes JSON lines with the service name', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'intake', level: 'info', destination }).info({ parcels: 3 }, 'manifest accepted');
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line).toMatchObject({ service: 'intake', level: 'info', parcels: 3, msg: 'manifest accepted' });
  });

  it('never writes a recipient’s name or phone, however deep', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'intake', level: 'info', destination });
    logger.info({ parcel: { waybill: 'ZT1', recipient: { name: '王小明', phone: '13912345678' } } }, 'parcel');
    logger.info({ recipient: { name: '王小明', phone: '13912345678' } }, 'parcel');
    logger.info({ batch: { parcel: { recipient: { name: '王小明', phone: '13912345678' } } } }, 'parcel');
    const text = lines.join('');
    expect(text).not.toContain('王小明');
    expect(text).not.toContain('13912345678');
    expect(text).toContain('ZT1');
  });
});
