/**
 * A part of the client loaded on first need (a dynamic import), so that a bundle which never
 * needs it does not carry it. A failed load is not remembered: a browser's chunk request can
 * fail once and succeed the next time. It fails as a ConnectionError that says nothing was sent,
 * so that callers see a ChatwootError and the retry policies may try again (loading again).
 */
import { ChatwootError, ConnectionError } from "./errors.js";

export function onFirstNeed<T>(load: () => Promise<T>, what = "a part of the client"): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      if (error instanceof ChatwootError) throw error;
      const reason = error instanceof Error && error.message ? `: ${error.message}` : "";
      throw new ConnectionError(`Could not load ${what}${reason}`, undefined, { cause: error, requestSent: false });
    }));
}
