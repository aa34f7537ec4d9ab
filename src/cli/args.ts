/** Command-line arguments: bad ones are a UsageError, which prints the command's usage and exits 2. */
export class UsageError extends Error {}

export function messageId(flag: string, value: unknown): number {
  if (!/^[0-9]+$/.test(String(value)) || Number(value) > Number.MAX_SAFE_INTEGER) throw new UsageError(`${flag} takes a message id`);
  return Number(value);
}

/** A TCP port from 0 (any free one) to 65535. */
export function port(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(String(value)) || Number(value) > 65_535) throw new UsageError(`--port takes a number from 0 to 65535, got "${String(value)}"`);
  return Number(value);
}

export function positiveInteger(flag: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(String(value)) || Number(value) < 1) throw new UsageError(`${flag} takes a whole number of 1 or more`);
  return Number(value);
}
