/**
 * A part of the client loaded on first need (a dynamic import), so that a bundle which never
 * needs it does not carry it. A failed load is not remembered: a browser's chunk request can
 * fail once and succeed the next time.
 */
export function onFirstNeed<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
