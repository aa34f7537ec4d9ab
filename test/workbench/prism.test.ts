/**
 * scripts/prism.mjs, which the workbench, contract:live and the test setup start Prism with: it
 * says Prism is ready only when Prism itself listens, not when something else answers on its port,
 * and Prism cannot outlive its supervisor.
 */
import { createServer } from "node:net";
import { expect, it } from "vitest";
import { startPrism } from "../../scripts/prism.mjs";
import { accepts, alive, childrenOf, waitFor } from "../helpers/processes.js";

it("a port held by something else is an error, not a mock that is not there", async () => {
  const holder = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  const { port } = holder.address() as { port: number };
  try {
    const started = startPrism({ port });
    await expect(started).rejects.toThrow(new RegExp(`Prism exited before listening on port ${port}[\\s\\S]*EADDRINUSE`));
  } finally {
    holder.close();
  }
}, 60_000);

it("a supervisor killed with SIGKILL takes its Prism along (setpriv --pdeathsig), and the port is free again", async () => {
  const prism = await startPrism();
  const [child] = childrenOf(prism.pid);
  expect(child).toBeDefined();
  process.kill(prism.pid, "SIGKILL");
  await waitFor(() => !alive(child!), 20_000, "Prism to be gone");
  await waitFor(async () => !(await accepts(prism.port)), 20_000, "the port to be free");
}, 60_000);
