/**
 * The CLI's options and refusals, each against a real local server that records what it was sent.
 * They run the command's main() in this process, with the environment and the output streams it
 * is given (a process each cost about 0.1 s of CPU, some 30 times); cli.test.ts runs the built
 * command end to end, and `webhooks listen` below runs as a process of its own.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { json, message, useServers } from "../helpers/http-server.js";
import { main } from "../../src/cli/main.js";
import { errorLine } from "../../src/cli/output.js";
import { root, spawnSupervised, waitFor, stopSupervised } from "../helpers/processes.js";
import { SECRET } from "../helpers/sign.js";

const TOKEN = "cli-options-token-0001";
// What a terminal would act on: C0 but the tab and newline the CLI lays lines out with, DEL, C1, bidi overrides.
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const serve = useServers();

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const io = {
    out: { write: (text: string, callback?: (error?: Error | null) => void) => ((stdout += text), callback?.(), true) },
    err: { write: (text: string) => ((stderr += text), true) },
    env: { PATH: process.env.PATH ?? "", CHATWOOT_API_TOKEN: TOKEN, ...env },
  };
  // As src/cli.ts does with what main() throws.
  const code = await main(args, io).catch((error: unknown) => (io.err.write(`${errorLine(error)}\n`), 1));
  return { code, stdout, stderr };
}

/** A server that takes requests and never answers them. */
const silent = () => serve(() => new Promise(() => undefined));

describe("one-line summaries", () => {
  it("escape the server's fields (ids, statuses, types, senders) as they escape content", async () => {
    const hostile = "\t\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e";
    const server = await serve((request, response) =>
      request.method === "GET"
        ? json(response, 200, { payload: [message(5, { id: `5${hostile}`, message_type: `0${hostile}`, sender: { id: 1, type: `contact${hostile}` } })] })
        : json(response, 200, message(7, { id: `7${hostile}`, status: `read${hostile}` })),
    );
    const env = { CHATWOOT_BASE_URL: server.url };
    for (const args of [["send", "42", "--content", "x"], ["status", "42", "7", "read"], ["retry", "42", "7"], ["delete", "42", "7"], ["list", "42"]]) {
      const result = await cli(args, env);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("\\u001b]0;pwned");
      expect(result.stdout).not.toMatch(TERMINAL_CONTROL);
      expect(result.stdout.trim().split("\n")).toHaveLength(1);
      // A tab from the server does not forge a column: list has its three cells, the others one.
      expect(result.stdout.split("\t")).toHaveLength(args[0] === "list" ? 3 : 1);
    }
  });
});

describe("usage errors", () => {
  it("print the arguments they quote escaped", async () => {
    for (const args of [["list", "42", "--bo\u001b[2Jgus"], ["\u001b]0;x\u0007"], ["webhooks", "trigger", "message_created", "--ex\u009bample"]]) {
      const result = await cli(args, { CHATWOOT_WEBHOOK_SECRET: SECRET });
      expect(result.code).toBe(2);
      expect(result.stderr).not.toMatch(TERMINAL_CONTROL);
      expect(result.stderr).toMatch(/\\u001b|\\u009b/);
    }
  });
});

describe("send --attach", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cli-attach-refused-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const big = path.join(dir, "big.bin");
  writeFileSync(big, "");
  truncateSync(big, 40 * 1024 * 1024 + 1); // sparse: one byte over, without writing 40 MB
  const fifo = path.join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);

  it.each([
    ["a directory", dir, "not a regular file (a directory)"],
    ["a FIFO (which a plain read would wait on forever)", fifo, "not a regular file"],
    ["a character device", "/dev/zero", "not a regular file"],
    ["a file over Chatwoot's 40 MB limit", big, "is over Chatwoot's attachment limit of 40 MB"],
    ["a missing file", path.join(dir, "missing.pdf"), "no such file"],
  ])("refuses %s before reading it, naming it, and sends nothing", async (_what, file, reason) => {
    const server = await serve((_request, response) => json(response, 200, message(1)));
    const ok = path.join(dir, "ok.txt");
    writeFileSync(ok, "fine");
    const result = await cli(["send", "42", "--attach", ok, "--attach", file], { CHATWOOT_BASE_URL: server.url });
    expect(result.code).toBe(2);
    const line = result.stderr.split("\n")[0]!;
    expect(line.startsWith(`--attach ${file}: `)).toBe(true);
    expect(line).toContain(reason);
    expect(server.requests).toEqual([]);
  });
});

describe("plain http to another machine", () => {
  // 0.0.0.0 reaches this machine's listeners on Linux, yet is not a loopback name: the client refuses it by default.
  it("is refused with advice the command line can follow, and --allow-insecure-http allows it", async () => {
    const server = await serve((_request, response) => json(response, 200, { payload: [] }));
    const env = { CHATWOOT_BASE_URL: `http://0.0.0.0:${server.port}` };
    const refused = await cli(["list", "42"], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split("\n")[0]).toBe("baseUrl uses plain http to 0.0.0.0, which would send the API token unencrypted; use https, or pass --allow-insecure-http");
    expect(server.requests).toEqual([]);
    expect(await cli(["list", "42", "--allow-insecure-http"], env)).toMatchObject({ code: 0, stdout: "(no messages)\n" });
    expect(server.requests).toHaveLength(1);
  });
});

describe("a password in the base URL", () => {
  it("is never printed, whatever the command says about the URL", async () => {
    const server = await serve((_request, response) => json(response, 200, { payload: [] }));
    const runs = [
      cli(["list", "42"], { CHATWOOT_BASE_URL: `http://agent:hunter2@127.0.0.1:${server.port}`, CHATWOOT_API_TOKEN: "" }),
      cli(["list", "42", "--base-url", `http://agent:hunter2@127.0.0.1:${server.port}`], { CHATWOOT_API_TOKEN: "" }),
      cli(["list", "42"], { CHATWOOT_BASE_URL: `http://agent:hunter2@127.0.0.1:${server.port}` }),
      cli(["list", "42"], { CHATWOOT_BASE_URL: "http://agent:hunter2@[not a host", CHATWOOT_API_TOKEN: "" }),
      cli(["list", "42", "--json"], { CHATWOOT_BASE_URL: `http://agent:hunter2@example.com` }),
    ];
    for (const result of await Promise.all(runs)) {
      expect(result.code).toBe(2);
      expect(result.stdout + result.stderr).not.toContain("hunter2");
    }
    expect((await runs[0]!).stderr.split("\n")[0]).toBe(`a token is needed for http://127.0.0.1:${server.port}/: CHATWOOT_API_TOKEN (or --token)`);
    expect(server.requests).toEqual([]);
  });
});

describe("--timeout", () => {
  it("gives up on an attempt after the duration given (ms), without sending again", async () => {
    const server = await silent();
    const result = await cli(["send", "42", "--content", "x", "--timeout", "300ms"], { CHATWOOT_BASE_URL: server.url });
    expect(result).toMatchObject({ code: 1, stdout: "", stderr: "error: TimeoutError: No complete answer within 300 ms\n" });
    expect(server.requests).toHaveLength(1);
  });

  it("takes seconds too (a bare number is seconds)", async () => {
    const server = await silent();
    for (const [value, ms] of [["0.4s", 400], ["0.25", 250]] as const) {
      const result = await cli(["send", "42", "--content", "x", "--timeout", value], { CHATWOOT_BASE_URL: server.url });
      expect(result.stderr).toBe(`error: TimeoutError: No complete answer within ${ms} ms\n`);
    }
  });

  it.each(["soon", "0", "0ms", "-1s", "5m", "1e3", "99999999s", ""])("refuses %j: usage, exit 2, nothing sent", async (value) => {
    const server = await silent();
    const result = await cli(["send", "42", "--content", "x", `--timeout=${value}`], { CHATWOOT_BASE_URL: server.url });
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(`--timeout takes a duration such as 500ms or 10s (a bare number is seconds), from 1ms to 24 days, got "${value}"`);
    expect(server.requests).toEqual([]);
  });
});

describe("--version and help", () => {
  it("--version prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("webhooks --help lists both subcommands; webhooks alone is a usage error that lists them too", async () => {
    const help = await cli(["webhooks", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}webhooks listen /m);
    expect(help.stdout).toMatch(/^ {2}webhooks trigger EVENT /m);
    const bare = await cli(["webhooks"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("webhooks takes a subcommand: listen, or trigger EVENT");
    expect(bare.stderr).toMatch(/^ {2}webhooks trigger EVENT /m);
  });
});

describe("MOCK_PORT", () => {
  it.each(["0", "65536", "4010x", "0x10", " 4010", "-1", "40.1", "1e3"])("%j is a usage error naming MOCK_PORT, and nothing is sent", async (value) => {
    const result = await cli(["list", "42"], { MOCK_PORT: value });
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(`MOCK_PORT takes a port number from 1 to 65535, got "${value}"`);
  });

  it("empty is unset: the default mock port", async () => {
    const result = await cli(["list", "42", "--timeout", "1ms"], { MOCK_PORT: "" });
    expect(result.stderr.split("\n")[0]).toContain("using the local mock at http://127.0.0.1:4010,");
  });
});

describe("webhooks trigger", () => {
  it.each(["127.0.0.1:3000", "localhost:3000/", "ftp://127.0.0.1/", "user:pw@127.0.0.1:3000"])("--to %j (no http(s) scheme) is a usage error, exit 2", async (to) => {
    const result = await cli(["webhooks", "trigger", "message_created", "--to", to], { CHATWOOT_WEBHOOK_SECRET: SECRET });
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe("--to takes an http:// or https:// URL, such as http://127.0.0.1:3000/");
    expect(result.stderr).not.toContain("pw");
  });

  it("gives up after 5 s without an answer, as Chatwoot does", async () => {
    const server = await silent();
    const result = await cli(["webhooks", "trigger", "message_created", "--to", `${server.url}/`], { CHATWOOT_WEBHOOK_SECRET: SECRET });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: no answer from ${server.url}/ within 5 s (Chatwoot gives up then too)\n`);
    expect(server.requests).toHaveLength(1);
  }, 30_000);

  it("--timeout shortens the wait, and is validated as for the API commands", async () => {
    const server = await silent();
    const result = await cli(["webhooks", "trigger", "message_created", "--to", `${server.url}/`, "--timeout", "200ms"], { CHATWOOT_WEBHOOK_SECRET: SECRET });
    expect(result).toMatchObject({ code: 1, stderr: `error: no answer from ${server.url}/ within 0.2 s\n` });
    const bad = await cli(["webhooks", "trigger", "message_created", "--timeout", "later"], { CHATWOOT_WEBHOOK_SECRET: SECRET });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout takes a duration such as 500ms or 10s');
  });
});

describe("webhooks listen --host ::1", () => {
  it("prints the address as a URL: http://[::1]:PORT", async () => {
    const child = spawnSupervised(process.execPath, ["dist/cli.js", "webhooks", "listen", "--host", "::1", "--port", "0"], {
      env: { PATH: process.env.PATH ?? "", CHATWOOT_WEBHOOK_SECRET: SECRET },
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    try {
      const url = await waitFor(() => /listening for Chatwoot webhooks on (\S+)\n/.exec(stderr)?.[1], 15_000, "the receiver", () => stderr);
      expect(url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await fetch(`${url}/`, { method: "POST", body: "{}" })).status).toBe(401); // a real URL: it reaches the receiver
    } finally {
      await stopSupervised(child);
    }
  });
});
