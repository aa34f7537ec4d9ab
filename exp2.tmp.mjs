import { spawn } from "node:child_process";
const redis = spawn("redis-server", ["--port", "6390", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 500));
const { redisWebhookQueue } = await import("chatwoot-messages/redis");
const prefix = "dbg" + Date.now();
const child = spawn(process.execPath, ["test/fixtures/close-when-down.mjs"], { env: { ...process.env, DBG_CLOSE: process.argv[2] ?? "1", REDIS_URL: "redis://127.0.0.1:6390", PREFIX: prefix, LOCK_MS: "2000" }, stdio: ["ignore", "pipe", "inherit"] });
const t0 = Date.now();
child.stdout.on("data", async (d) => { process.stdout.write(`[${Date.now()-t0}] ${d}`);
  if (String(d).includes("working")) { const q = redisWebhookQueue({ connection: "redis://127.0.0.1:6390", prefix, logger: {} }); await q.add("k1", { event: "x" }, undefined); await q.close(); }
  if (String(d).includes("holding")) { redis.kill(); setTimeout(() => child.kill("SIGTERM"), 300); }
});
child.on("exit", (code) => { console.log(`[${Date.now()-t0}] exit ${code}`); redis.kill(); });
setTimeout(() => { console.log("still alive; killing"); child.kill("SIGKILL"); redis.kill(); }, 25000).unref();
