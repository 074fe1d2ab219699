/**
 * Poison versus outage (docs/architecture.md §3): an outage is an infrastructure failure that will pass —
 * Postgres, Redis or the broker unreachable — and is waited out, never dead-lettered. Everything
 * else a handler throws is about the message itself.
 */
export class OutageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutageError';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// SQLSTATE classes and codes that say "the server, not the statement": connection exceptions (08),
// shutting down or starting (57P0x), too many connections, and transaction conflicts worth a retry.
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Query read timeout',
  'Connection is closed',
  "Stream isn't writeable",
  'connect ECONNREFUSED',
];

export function isOutage(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof OutageError) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  // kafkajs marks the errors it would retry itself; ioredis names its give-up error.
  if ((err as { retriable?: unknown }).retriable === true || err.name.startsWith('KafkaJS')) return true;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  if (TRANSIENT_MESSAGES.some((m) => err.message.includes(m))) return true;
  return err.cause !== undefined && err.cause !== err && isOutage(err.cause);
}
