/** One partition's offsets as the broker reports them (kafkajs `fetchTopicOffsets`: strings). */
export interface PartitionOffsets {
  low: string;
  high: string;
}

/** Records a topic holds: the sum over its partitions of high minus low watermark (never negative). */
export function waitingIn(partitions: PartitionOffsets[]): number {
  return partitions.reduce((sum, p) => sum + Math.max(0, Number(p.high) - Number(p.low)), 0);
}
