/**
 * Mounts a Fetch-API handler on Node's `http.createServer`. The body is streamed to the handler
 * (never buffered here), and nothing the client or the handler does can become an unhandled
 * rejection: a request that cannot be turned into a Request is answered 400, a handler that
 * throws 500, and a client that hung up is simply not answered. No Node import: the types below
 * are what the adapter needs of IncomingMessage and ServerResponse.
 */
import { answer } from "./answer.js";

export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: string): unknown;
}

export function toNodeListener(handler: (request: Request) => Promise<Response>) {
  return async (incoming: NodeRequestLike, outgoing: NodeResponseLike): Promise<void> => {
    let response: Response;
    try {
      const request = toRequest(incoming);
      try {
        response = await handler(request);
      } catch {
        response = answer(500, { error: "The delivery could not be handled" });
      }
    } catch {
      response = answer(400, { error: "The request could not be read" });
    }
    try {
      const text = await response.text();
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(text);
    } catch {
      // The client is gone: there is no one to answer.
    }
  };
}

function toRequest(incoming: NodeRequestLike): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const method = incoming.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", "http://localhost"), {
    method,
    headers,
    ...(hasBody ? { body: streamOf(incoming), duplex: "half" } : {}),
  } as RequestInit);
}

/** A pull-based stream: the handler reads (and may stop reading) at its own pace. */
function streamOf(chunks: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(typeof value === "string" ? encoder.encode(value) : value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
