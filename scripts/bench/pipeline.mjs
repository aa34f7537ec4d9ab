// How long each step of the spec pipeline takes, run as `npm run` would run it.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { root } from "../tools.mjs";

const steps = {
  lint: [path.join(root, "node_modules/.bin/redocly"), ["lint"]],
  generate: [process.execPath, [path.join(root, "scripts/generate.mjs")]],
  "check:generated": [process.execPath, [path.join(root, "scripts/check-generated.mjs")]],
  docs: [process.execPath, [path.join(root, "scripts/build-docs.mjs")]],
};

export function pipelineTimes() {
  return Object.entries(steps).map(([step, [command, args]]) => {
    const started = performance.now();
    execFileSync(command, args, { cwd: root, stdio: "ignore" });
    return { step, ms: Math.round(performance.now() - started) };
  });
}
