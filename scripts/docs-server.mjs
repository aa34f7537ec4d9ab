// Serves the built Redoc page (and the bundled spec beside it) on 127.0.0.1. The file is read on
// every request, so a rebuild shows up on the next reload without restarting the server.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";

/** @param {{ port: number, docsPath: string, specPath: string }} options */
export function startDocsServer({ port, docsPath, specPath }) {
  const routes = {
    "/": [docsPath, "text/html; charset=utf-8"],
    "/index.html": [docsPath, "text/html; charset=utf-8"],
    "/openapi.json": [specPath, "application/json"],
  };
  const server = createServer(async (request, response) => {
    const route = routeOf(request.url);
    if (route === undefined) {
      // A request target no URL parser accepts ("//", "http://[") is the client's error, not ours.
      response.writeHead(400, { "content-type": "text/plain" }).end("Bad request\n");
      return;
    }
    if (!route) {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    try {
      const body = await readFile(route[0]);
      response.writeHead(200, { "content-type": route[1], "cache-control": "no-store" }).end(body);
    } catch {
      response.writeHead(503, { "content-type": "text/plain" }).end("Docs are not built yet\n");
    }
  });
  /** The route for a request target, null when there is none, undefined when the target does not parse. */
  function routeOf(target = "/") {
    try {
      return routes[new URL(target, "http://x").pathname] ?? null;
    } catch {
      return undefined;
    }
  }
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
