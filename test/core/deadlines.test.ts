/** The shared deadline timer: every deadline fires at its own time, cancelled ones never, and it keeps no process alive. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { TimeoutError } from "../../src/index.js";
import { createDeadlines } from "../../src/core/deadlines.js";
import { clientFor } from "../helpers/client.js";
import { startServer, type TestServer } from "../helpers/http-server.js";
import { root, runSupervised } from "../helpers/processes.js";

let server: TestServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

describe("createDeadlines", () => {
  it("a thousand deadlines of different lengths each fire at their own time, and cancelled ones never", () => {
    vi.useFakeTimers();
    const armed: number[] = [];
    const deadlines = createDeadlines(() => Date.now(), {
      set: (run, ms) => (armed.push(ms), setTimeout(run, ms)),
      clear: (timer) => clearTimeout(timer),
    });
    const start = Date.now();
    const fired = new Map<number, number>();
    const due = new Map<number, number>();
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 1000; i++) {
      const ms = 1 + Math.floor(random() * 50) * 97; // 50 distinct lengths, many calls each
      due.set(i, start + ms);
      const cancel = deadlines.schedule(ms, () => fired.set(i, Date.now()));
      if (i % 10 === 0) cancel();
    }
    vi.advanceTimersByTime(5_000);
    for (const [i, at] of due) {
      if (i % 10 === 0) expect(fired.has(i), `cancelled ${i}`).toBe(false);
      else expect(fired.get(i), `deadline ${i}`).toBe(at);
    }
    expect(armed.length).toBeLessThan(200); // one timer, rearmed per distinct deadline: not one per call
  });

  it("a later, shorter deadline rearms the timer earlier", () => {
    vi.useFakeTimers();
    const deadlines = createDeadlines(() => Date.now());
    const order: string[] = [];
    deadlines.schedule(1_000, () => order.push("long"));
    deadlines.schedule(10, () => order.push("short"));
    vi.advanceTimersByTime(10);
    expect(order).toEqual(["short"]);
    vi.advanceTimersByTime(990);
    expect(order).toEqual(["short", "long"]);
  });

  it("keeps no process alive: a pending 60 s deadline does not hold the process open", async () => {
    const script = `import { deadlines } from "./dist/core/deadlines.js"; deadlines.schedule(60_000, () => console.log("fired")); console.log("scheduled");`;
    // A kept-alive process would run for a minute, past this test's timeout.
    const result = await runSupervised(process.execPath, ["--input-type=module", "-e", script], { cwd: root });
    expect(result).toMatchObject({ code: 0, stdout: "scheduled\n" });
  });
});

describe("concurrent calls with different timeouts", () => {
  it("each fails with TimeoutError no sooner than its own timeout", async () => {
    server = await startServer(() => undefined); // never answers
    const client = clientFor(server.url, { maxRetries: 0 });
    const started = performance.now();
    const timeouts = Array.from({ length: 40 }, (_, i) => 50 + i * 10);
    const ended = await Promise.all(timeouts.map(async (timeoutMs) => {
      const error = await client.messages.list(42, {}, { timeoutMs }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toContain(`${timeoutMs} ms`);
      return performance.now() - started;
    }));
    ended.forEach((elapsed, i) => expect(elapsed).toBeGreaterThanOrEqual(timeouts[i]! - 1));
  });
});
