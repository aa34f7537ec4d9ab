// Sits between `prism proxy` and the real Chatwoot for contract:live. Prism follows the upstream's
// redirects, and the API token goes along to wherever they point (an SSO host, a plain-http
// address). The guard passes each request on to the upstream as it is, and answers any redirect
// itself with a 502 instead of passing it back to Prism: nothing past the upstream sees the token.
import http from "node:http";
import https from "node:https";

// Headers about one connection, not about the message: each side sets its own.
const hopByHop = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "host"];

/**
 * @param {string} upstream  the installation's base URL (https, or http on loopback: checked by the caller)
 * @param {(problem: string) => void} onProblem  told each request the guard did not let through, in words
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export function startUpstreamGuard(upstream, onProblem) {
  const target = new URL(upstream);
  const base = target.pathname.replace(/\/+$/, "");
  const transport = target.protocol === "https:" ? https : http;
  const refuse = (response, problem) => {
    onProblem(problem);
    response.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ error: problem }));
  };

  const server = http.createServer((request, response) => {
    const outgoing = transport.request({
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[|\]$/g, ""),
      port: target.port,
      method: request.method,
      path: base + request.url,
      headers: withoutHopByHop(request.headers),
    });
    outgoing.on("response", (answer) => {
      const status = answer.statusCode ?? 502;
      if (status >= 300 && status < 400 && status !== 304) {
        answer.resume();
        // Only the origin: a redirect's full target may carry a session or a signed query.
        const to = answer.headers.location ? originOf(answer.headers.location, upstream) : "no location";
        return refuse(response, `${request.method} ${request.url}: the upstream redirected (${status} to ${to}); not followed, the API token would go along`);
      }
      response.writeHead(status, answer.statusMessage, withoutHopByHop(answer.headers));
      answer.pipe(response);
    });
    outgoing.on("error", (error) => refuse(response, `${request.method} ${request.url}: the upstream cannot be reached (${error.code ?? error.message})`));
    request.pipe(outgoing);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function withoutHopByHop(headers) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHop.includes(name.toLowerCase())));
}

function originOf(location, upstream) {
  try {
    return new URL(location, upstream).origin;
  } catch {
    return "an unreadable location";
  }
}
