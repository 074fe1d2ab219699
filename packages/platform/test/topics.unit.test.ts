import { describe, expect, it } from 'vitest';
import { topicConfigs } from '../src/index.js';

const settings = { prefix: 'p.', partitions: 3, replicationFactor: 1, maxMessageBytes: 1 << 24 };
const spec = (name: string, compacted = false) => ({ name, description: '', key: '', compacted });

describe('topic configurations', () => {
  it('give every topic a one-partition dead-letter topic, and a compacted topic its cleanup policy', () => {
    const configs = topicConfigs(settings, [spec('masterdata.events', true), spec('courier.status.zto')]);
    expect(configs.map((c) => [c.topic, c.numPartitions])).toEqual([
      ['p.masterdata.events', 3],
      ['p.masterdata.events.dlq', 1],
      ['p.courier.status.zto', 3],
      ['p.courier.status.zto.dlq', 1],
    ]);
    expect(configs[0]!.configEntries).toContainEqual({ name: 'cleanup.policy', value: 'compact' });
  });

  it('give a dead-letter topic no dead-letter topic of its own', () => {
    const configs = topicConfigs(settings, [spec('courier.manifests.dlq')]);
    expect(configs.map((c) => [c.topic, c.numPartitions])).toEqual([['p.courier.manifests.dlq', 1]]);
  });
});
