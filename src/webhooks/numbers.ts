/**
 * Number options of the receiver and the queues, checked when they are made: `NaN` (say from
 * `Number(process.env.X)`) or a negative number would silently turn a limit off.
 */
import { ValidationError } from "../core/errors.js";

/** A finite number above 0 (or the fallback when not given). */
export function positive(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(name, `must be a positive number, got ${String(value)}`);
  }
  return value;
}

/** A finite number of 0 or more. */
export function nonNegative(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ValidationError(name, `must be a finite number of 0 or more, got ${String(value)}`);
  }
  return value;
}

/** A whole number of 1 or more. */
export function count(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError(name, `must be a whole number of 1 or more, got ${String(value)}`);
  }
  return value;
}
