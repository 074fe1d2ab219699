import type { Kafka } from '@county/platform';
import { advanceWatermark, type WatermarkState } from './domain/watermark.js';

/**
 * The parcel consumer's watermark from Kafka (`domain/watermark.ts`): its group's committed offsets against the
 * topic's end offsets, sampled at each call. Returns the instant through which every event is folded, or null.
 */
export function kafkaFoldWatermark(kafka: Kafka, groupId: string, topic: string): { foldedThrough: (now: Date) => Promise<Date | null>; stop: () => Promise<void> } {
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  let state: WatermarkState = { foldedThrough: null };
  return {
    foldedThrough: async (now) => {
      connected ??= admin.connect();
      await connected;
      const [ends, groups] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
      const committed = new Map((groups[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
      state = advanceWatermark(state, now.getTime(), committed, new Map(ends.map((p) => [p.partition, BigInt(p.high)])));
      return state.foldedThrough === null ? null : new Date(state.foldedThrough);
    },
    stop: async () => {
      if (connected) await admin.disconnect().catch(() => undefined);
    },
  };
}
