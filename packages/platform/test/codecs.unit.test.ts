import { CompressionCodecs, CompressionTypes, KafkaJSNonRetriableError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { registerCompressionCodecs } from '../src/index.js';

registerCompressionCodecs();

const codecs = [
  { name: 'gzip', type: CompressionTypes.GZIP },
  { name: 'snappy', type: CompressionTypes.Snappy },
  { name: 'lz4', type: CompressionTypes.LZ4 },
  { name: 'zstd', type: CompressionTypes.ZSTD },
] as const;

const text = Buffer.from(JSON.stringify({ note: '黄桃 yellow peaches '.repeat(200) }));

describe('the registered compression codecs', () => {
  it.each(codecs)('round-trips a batch with $name', async ({ type }) => {
    const codec = CompressionCodecs[type]();
    const compressed: Buffer = await codec.compress({ buffer: text });
    expect(compressed.length).toBeLessThan(text.length);
    expect(Buffer.compare(await codec.decompress(compressed), text)).toBe(0);
  });

  // A non-retriable error crashes the consumer (then restarted and reported) instead of kafkajs
  // retrying the same fetch forever while the consumer looks alive.
  it.each(codecs)('refuses bytes that are not $name non-retriably, naming the codec', async ({ name, type }) => {
    const failure = CompressionCodecs[type]().decompress(Buffer.from('definitely not compressed, 不是压缩的'));
    await expect(failure).rejects.toBeInstanceOf(KafkaJSNonRetriableError);
    await expect(failure).rejects.toThrow(`cannot decompress a ${name} batch`);
  });
});
