// Compiles src/ to dist/: the portable library (no Node types), then the Node-only CLI, and keeps
// the CLI executable so that `npx chatwoot-messages` works from a checkout (tsc drops the exec bit).
import { chmodSync, rmSync } from "node:fs";
import path from "node:path";
import { root, tool } from "./tools.mjs";

rmSync(path.join(root, "dist"), { recursive: true, force: true });
tool("tsc", ["-p", path.join(root, "tsconfig.build.json")]);
tool("tsc", ["-p", path.join(root, "tsconfig.cli.json")]);
chmodSync(path.join(root, "dist", "cli.js"), 0o755);
