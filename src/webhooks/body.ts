/**
 * Reads a delivery's body up to a limit. Chatwoot's payloads are a few KB; a larger body is
 * refused from its Content-Length before any of it is read, or as soon as the bytes read pass
 * the limit, so a receiver never buffers more than `maxBytes`.
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The body as bytes, or undefined when it is larger than `maxBytes`. Rejects when the stream breaks. */
export async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > maxBytes) return undefined;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
