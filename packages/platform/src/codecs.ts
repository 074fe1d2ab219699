import { compress as zstdCompress, decompress as zstdDecompress } from '@mongodb-js/zstd';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import snappy from 'kafkajs-snappy';
import { compressFrame, decompressFrame } from 'lz4-napi';

/** The shape kafkajs expects of a codec factory: it compresses a record batch's encoder buffer. */
interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

// Kafka's LZ4 is the LZ4 frame format (KIP-57), not raw blocks.
const lz4 = (): Codec => ({
  compress: (encoder) => compressFrame(encoder.buffer),
  decompress: (buffer) => decompressFrame(buffer),
});

const zstd = (): Codec => ({
  compress: (encoder) => zstdCompress(encoder.buffer),
  decompress: (buffer) => zstdDecompress(buffer),
});

let registered = false;

/**
 * kafkajs decodes only gzip by itself: a batch in any other codec throws while it is fetched, which
 * kills the consumer (issue #8). Any standard producer may pick snappy, lz4 or zstd, so every client
 * the platform creates can read all four. The registry is kafkajs's own (process-wide), so the
 * first client registers them for all.
 */
export function registerCompressionCodecs(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.Snappy] = snappy;
  CompressionCodecs[CompressionTypes.LZ4] = lz4;
  CompressionCodecs[CompressionTypes.ZSTD] = zstd;
}
