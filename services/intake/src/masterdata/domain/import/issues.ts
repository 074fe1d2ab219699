import type { z } from 'zod';
import type { Finding } from './errors.js';
import type { Section } from './sections.js';

/**
 * zod's issues as findings an operator can act on: a missing value reads "required", and each
 * unknown property is named on its own so it points at its column.
 */
export function issueFindings(section: Section, index: number, error: z.ZodError): Finding[] {
  return error.issues.flatMap((issue): Finding[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ section, index, path: [...issue.path, key], reason: 'unknown property' }));
    }
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return [{ section, index, path: issue.path, reason: missing ? 'required' : issue.message }];
  });
}
