/** Command-line arguments: bad ones are a UsageError, which prints the command's usage and exits 2. */
import { DEFAULT_MOCK_PORT, portSetting } from "./port-setting.js";

export class UsageError extends Error {}

/** The mock `npm start` runs, at MOCK_PORT read as the workbench reads it: where commands go without a base URL. */
export function localMock(env: Record<string, string | undefined>): string {
  try {
    return `http://127.0.0.1:${portSetting("MOCK_PORT", env.MOCK_PORT, DEFAULT_MOCK_PORT)}`;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

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

// setTimeout's limit, as the client's timeoutMs.
const MAX_DURATION_MS = 2_147_483_647;

/** A duration: "500ms", "2.5s", or a bare number of seconds (as curl's --max-time). */
export function duration(flag: string, value: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s)?$/.exec(value);
  const ms = match ? Math.round(Number(match[1]) * (match[2] === "ms" ? 1 : 1000)) : Number.NaN;
  if (!(ms >= 1 && ms <= MAX_DURATION_MS)) {
    throw new UsageError(`${flag} takes a duration such as 500ms or 10s (a bare number is seconds), from 1ms to 24 days, got "${value}"`);
  }
  return ms;
}
