/**
 * Clients for the Prism mock that the global setup started, recording what Prism said about each
 * request (`sl-violations`) and how many requests went out, and reading examples from the
 * bundled spec that Prism serves.
 */
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import { createChatwootClient, createRawClient, type ChatwootClientOptions } from "../../src/index.js";

export const spec = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8"));

export interface Recorder {
  requests: number;
  violations: unknown[];
  statuses: number[];
}

export function prismClient(prefer?: string, options: Partial<ChatwootClientOptions> = {}) {
  const seen: Recorder = { requests: 0, violations: [], statuses: [] };
  const settings: ChatwootClientOptions = {
    baseUrl: inject("prismUrl"),
    apiAccessToken: "prism-test-token",
    accountId: 1,
    maxRetries: 0,
    ...options,
    middleware: [
      {
        onRequest({ request }) {
          seen.requests++;
          if (prefer) request.headers.set("Prefer", prefer);
        },
        onResponse({ response }) {
          seen.statuses.push(response.status);
          const violations = response.headers.get("sl-violations");
          // Prism sends a JSON list, or the text "Too many violations..." when the list is long.
          if (violations) seen.violations.push(...(violations.startsWith("[") ? JSON.parse(violations) : [violations]));
        },
      },
    ],
  };
  // The typed fetch client beside the resource client, recording into the same `seen`.
  return { client: createChatwootClient(settings), raw: createRawClient(settings), seen };
}

/** Follows a local `#/components/...` reference in the bundled spec. */
export function resolve<T = any>(node: any): T {
  if (!node || typeof node.$ref !== "string") return node;
  return resolve(node.$ref.slice(2).split("/").reduce((at: any, key: string) => at[key], spec));
}

export interface NamedExample {
  operationId: string;
  path: string;
  method: string;
  status: number;
  mediaType: string;
  name: string;
  value: unknown;
}

/** Every named response example of every operation whose path starts with `under` (the Application API's by default). */
export function responseExamples(under = "/api/"): NamedExample[] {
  const found: NamedExample[] = [];
  for (const [path, item] of Object.entries<any>(spec.paths)) {
    if (!path.startsWith(under)) continue;
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      const operation = item[method];
      if (!operation) continue;
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        for (const [mediaType, media] of Object.entries<any>(resolve(response).content ?? {})) {
          for (const [name, example] of Object.entries<any>(media.examples ?? {})) {
            found.push({ operationId: operation.operationId, path, method, status: Number(status), mediaType, name, value: resolve(example).value });
          }
        }
      }
    }
  }
  return found;
}

/** Every named request-body example of one operation and media type. */
export function requestExamples(operationId: string, mediaType: string): Array<[string, any]> {
  for (const item of Object.values<any>(spec.paths)) {
    for (const operation of Object.values<any>(item)) {
      if (operation?.operationId !== operationId) continue;
      const examples = resolve(operation.requestBody).content[mediaType].examples;
      return Object.entries<any>(examples).map(([name, example]) => [name, resolve(example).value]);
    }
  }
  throw new Error(`no operation ${operationId}`);
}
