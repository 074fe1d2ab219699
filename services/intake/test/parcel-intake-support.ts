import { randomBytes, randomInt } from 'node:crypto';
import { createLogger, type Logger } from '@county/platform';

/** What the parcel-intake suites share: parcels as couriers send them, logs and topics to read. */

export function freshPhone(): string {
  return `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

export function freshWaybillNo(prefix = 'ZT'): string {
  return `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** A 12-digit village code no station serves. */
export function unservedVillageCode(): string {
  return `9${String(randomInt(0, 100_000_000_000)).padStart(11, '0')}`;
}

export interface ContractInput {
  waybill?: string;
  stationId?: string;
  villageCode?: string;
  weightKg?: number;
  phone?: string;
  name?: string;
  [extra: string]: unknown;
}

/** A downstream parcel contract as a courier sends it. */
export function contract({ waybill, stationId, villageCode, weightKg = 2, phone, name = '李小红', ...extra }: ContractInput = {}) {
  return {
    waybill: waybill ?? freshWaybillNo(),
    destination: villageCode ? { villageCode } : { stationId: stationId ?? 'st-village-a' },
    weightKg,
    recipient: { name, phone: phone ?? freshPhone() },
    ...extra,
  };
}

/** The phones among `phones` that appear anywhere in `text`, as whole or part of a run of digits. */
export function phonesIn(text: string, phones: readonly string[]): string[] {
  const present = new Set<string>();
  for (const run of text.match(/\d{11,}/g) ?? []) for (let i = 0; i + 11 <= run.length; i++) present.add(run.slice(i, i + 11));
  return phones.filter((phone) => present.has(phone));
}

/** A logger at debug level whose every line is kept, to check what was (never) logged. */
export function capturedLogger(service = 'intake'): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger({ service, level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, text: () => lines.join('') };
}

