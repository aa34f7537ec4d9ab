/**
 * vitest global setup: one Prism mock of the bundled spec for the whole run, strict (`--errors`)
 * and repeatable (`--seed`). It runs under scripts/supervise.mjs, so it is gone when the run
 * ends even if vitest is killed. PRISM_STATE_FILE, when set, receives its pids and URL (the
 * test that kills a runner reads it).
 */
import type { TestProject } from "vitest/node";
import { startPrism } from "../scripts/prism.mjs";
import { writeState } from "./helpers/processes.js";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const prism = await startPrism({ args: ["--errors", "--seed", "42"] });
  if (process.env.PRISM_STATE_FILE) {
    writeState(process.env.PRISM_STATE_FILE, { url: prism.url, port: prism.port, supervisorPid: prism.pid });
  }
  project.provide("prismUrl", prism.url);
  return () => prism.stop();
}
