import { compress as zstdCompress, decompress as zstdDecompress } from '@mongodb-js/zstd';
import kafkajs, { CompressionTypes } from 'kafkajs';
import snappy from 'kafkajs-snappy';
import { compressFrame, decompressFrame } from 'lz4-napi';

/** The shape kafkajs expects of a codec factory: it compresses a record batch's encoder buffer. */
export type CodecFactory = () => {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
};

// Node's ESM loader cannot see these two among kafkajs's CommonJS exports: only the default import has them.
const { CompressionCodecs, KafkaJSNonRetriableError } = kafkajs;

// Kafka's LZ4 is the LZ4 frame format (KIP-57), not raw blocks.
const lz4: CodecFactory = () => ({
  compress: (encoder) => compressFrame(encoder.buffer),
  decompress: (buffer) => decompressFrame(buffer),
});

const zstd: CodecFactory = () => ({
  compress: (encoder) => zstdCompress(encoder.buffer),
  decompress: (buffer) => zstdDecompress(buffer),
});

/**
 * kafkajs retries a fetch whose batch fails to decompress with an ordinary error forever, and the
 * consumer looks alive while it reads nothing more (issue #8). Retrying cannot repair the bytes, so
 * the failure is made non-retriable: the consumer crashes, and its supervisor reports it and
 * restarts it with backoff.
 */
export function guardDecompression(codec: string, factory: CodecFactory): CodecFactory {
  return () => {
    const inner = factory();
    return {
      compress: (encoder) => inner.compress(encoder),
      decompress: async (buffer) => {
        try {
          return await inner.decompress(buffer);
        } catch (err) {
          throw new KafkaJSNonRetriableError(`cannot decompress a ${codec} batch: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
    };
  };
}

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
  CompressionCodecs[CompressionTypes.GZIP] = guardDecompression('gzip', CompressionCodecs[CompressionTypes.GZIP]);
  CompressionCodecs[CompressionTypes.Snappy] = guardDecompression('snappy', snappy);
  CompressionCodecs[CompressionTypes.LZ4] = guardDecompression('lz4', lz4);
  CompressionCodecs[CompressionTypes.ZSTD] = guardDecompression('zstd', zstd);
}
