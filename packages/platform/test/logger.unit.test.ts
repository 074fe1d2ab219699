import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createKafka, createLogger } from '../src/index.js';

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

  it("keeps kafkajs's expected warnings (bounded idempotent retries, a new partition's leader) at debug, others at warn", () => {
    const { lines, destination } = capture();
    const kafka = createKafka({ brokers: ['127.0.0.1:9'], clientId: 't', logger: createLogger({ service: 'intake', level: 'debug', destination }) });
    kafka.logger().warn('Limiting retries for the idempotent producer may invalidate EoS guarantees');
    kafka.logger().error('Response ListOffsets(key: 2, version: 3)', { error: 'This server is not the leader for that topic-partition' });
    kafka.logger().warn('Connection timeout');
    const levels = lines.map((l) => JSON.parse(l) as { level: string; msg: string }).map((l) => `${l.level} ${l.msg}`);
    expect(levels).toEqual([
      'debug Limiting retries for the idempotent producer may invalidate EoS guarantees',
      'debug Response ListOffsets(key: 2, version: 3)',
      'warn Connection timeout',
    ]);
  });
});
