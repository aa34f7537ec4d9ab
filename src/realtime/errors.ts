/**
 * What the realtime client reports on its `error` event. `fatal` errors stop it (no more
 * reconnects: retrying cannot help); the others are reported and it goes on.
 */
import { ChatwootError } from "../core/errors.js";

export type RealtimeErrorCode =
  /** No `confirm_subscription` within `confirmTimeoutMs`: Chatwoot answers an unknown token with silence. */
  | "subscription_unconfirmed"
  /** A `reject_subscription` frame (Chatwoot's RoomChannel never sends one; other servers may). */
  | "subscription_rejected"
  /** A `disconnect` frame that says not to reconnect (`unauthorized`, `invalid_request`...). */
  | "disconnected"
  /** A REST resync failed; live messages go on, the next resync fills the gap. */
  | "resync_failed";

export class RealtimeError extends ChatwootError {
  override name = "RealtimeError";
  readonly code: RealtimeErrorCode;
  readonly fatal: boolean;
  constructor(code: RealtimeErrorCode, message: string, options: { fatal: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fatal = options.fatal;
  }
}
