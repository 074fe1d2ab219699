export type Emit = (line: Readonly<Record<string, unknown>>) => void;

/** One JSON object per line on stdout, the form every `npm run bench:*` prints. */
export const emit: Emit = (line) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
