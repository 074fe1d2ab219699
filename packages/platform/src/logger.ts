import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Recipients' names and phones never reach a log (docs/architecture.md "Parcel contract"), wherever they sit in
 * a logged object; nor do API keys.
 */
export const redactedPaths = [
  'recipient.name',
  'recipient.phone',
  '*.recipient.name',
  '*.recipient.phone',
  '*.*.recipient.name',
  '*.*.recipient.phone',
  'recipientName',
  'recipientPhone',
  '*.recipientName',
  '*.recipientPhone',
  'phone',
  '*.phone',
  '*.*.phone',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'apiKey',
  '*.apiKey',
];

export interface LoggerSettings {
  service: string;
  level: LoggerOptions['level'];
  /** Where to write; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

export function createLogger({ service, level, destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
