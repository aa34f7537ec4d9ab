// Runs the project's own copies of the tools, so that no global install or npx look-up is involved.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The tools come from this checkout; the spec they work on may live elsewhere (the workbench's
// test runs it on a copy, so that it can edit the spec freely).
export const projectDir = path.resolve(process.env.SPEC_PROJECT_DIR || root);
export const bundlePath = path.join(projectDir, "generated", "openapi.json");

/** Runs node_modules/.bin/NAME in the project directory; returns stdout, throws with the tool's output on failure. */
export function tool(name, args, { quiet = true } = {}) {
  const bin = path.join(root, "node_modules", ".bin", name);
  try {
    return execFileSync(bin, args, {
      cwd: projectDir,
      encoding: "utf8",
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
  } catch (error) {
    const output = `${error.stdout ?? ""}${error.stderr ?? ""}`;
    throw new Error(`${name} ${args.join(" ")} failed${output ? `:\n${withoutBanner(output)}` : ""}`);
  }
}

/** Redocly prints a boxed Node 20 deprecation banner on every run; it says nothing about our spec. */
export function withoutBanner(text) {
  return text
    .split("\n")
    .filter((line) => !/^\s*[║╔╚]/.test(line))
    .join("\n")
    .trim();
}

/**
 * openapi-typescript's flags, shared by generate and check (--check must use the same ones).
 * Defaults do not make a property required: a request may leave out `private` or `content_type`.
 */
export const typesFlags = ["--default-non-nullable", "false"];

/** Bundles openapi/openapi.yaml (the `messages` API of redocly.yaml) into one JSON file. */
export function bundle(output) {
  tool("redocly", ["bundle", "messages", "--output", output]);
}
