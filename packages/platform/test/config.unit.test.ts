import { describe, expect, it } from 'vitest';
import { baseConfigSchema, ConfigError, loadConfig } from '../src/index.js';

describe('configuration', () => {
  it('fails start-up with one message naming every bad variable', () => {
    let error: unknown;
    try {
      loadConfig(baseConfigSchema, { PORT: 'eighty', DB_SCHEMA: 'Bad-Schema', KAFKA_BROKERS: 'localhost' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT');
    expect(message).toContain('DB_SCHEMA');
    expect(message).toContain('KAFKA_BROKERS');
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('names a missing variable as required', () => {
    expect(() => loadConfig(baseConfigSchema, { PORT: '3001' })).toThrow(/DB_SCHEMA: required/);
  });

  it('applies local defaults and splits the broker list', () => {
    const config = loadConfig(baseConfigSchema, { PORT: '3001', DB_SCHEMA: 'intake', KAFKA_BROKERS: 'a:9092, b:9092' });
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9092']);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(config.TOPIC_PREFIX).toBe('');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig(baseConfigSchema, { PORT: '3001', DB_SCHEMA: 'intake', LOG_LEVEL: '' });
    expect(config.LOG_LEVEL).toBe('info');
  });
});
