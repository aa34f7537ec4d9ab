// Runs the project's own copies of the tools, so that no global install or npx look-up is involved.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The tools come from this checkout; the spec they work on may live elsewhere (the workbench's
// test runs it on a copy, so that it can edit the spec freely).
export const projectDir = path.resolve(process.env.SPEC_PROJECT_DIR || root);
export const bundlePath = path.join(projectDir, "generated", "openapi.json");

/** A tool that failed; the message is what it said (once), for a person to read. */
export class ToolError extends Error {
  name = "ToolError";
}

/**
 * Runs node_modules/.bin/NAME in the project directory; resolves with its stdout, rejects with a
 * ToolError carrying the tool's output. Not synchronous: the workbench goes on serving meanwhile, and
 * `signal` stops the tool (the build's Ctrl-C).
 */
export function tool(name, args, { signal } = {}) {
  const bin = path.join(root, "node_modules", ".bin", name);
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd: projectDir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, signal }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const output = `${stdout ?? ""}${stderr ?? ""}`;
      reject(new ToolError(`${name} ${args.join(" ")} failed${output ? `:\n${condensed(withoutBanner(output))}` : ""}`));
    });
  });
}

/** A file's text, or "" when it is not there. */
export function readOrEmpty(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/**
 * Writes `text` to `file` (and its folder) only when it differs from what is there: whoever watches
 * or reads the file meanwhile (Prism, an editor, a type check) sees no rewrite. Returns whether it wrote.
 */
export function writeIfChanged(file, text) {
  if (readOrEmpty(file) === text) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return true;
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
 * A YAML file that does not parse breaks every $ref to it, and Redocly reports the parse error
 * again for each one, with an unresolved $ref beside it. Only the parse error says what to fix:
 * keep each once, and the summary line.
 */
export function condensed(output) {
  const [head, ...problems] = output.split(/^(?=\[\d+\] )/m);
  const unparsed = problems.filter((problem) => /Failed to parse/.test(problem));
  if (unparsed.length === 0) return output;
  const unique = [...new Set(unparsed.map((problem) => problem.replace(/^\[\d+\] /, "").replace(/\n❌[\s\S]*$/, "").trim()))];
  const summary = /^❌.*$/m.exec(output)?.[0];
  return [head.trim(), ...unique.map((problem, i) => `[${i + 1}] ${problem}`), summary].filter(Boolean).join("\n\n");
}

/** For a script's entry point: a tool's failure is its message and exit 1, never a stack trace. */
export function exitOnToolError(run) {
  const fail = (error) => {
    if (!(error instanceof ToolError)) throw error;
    console.error(error.message);
    process.exit(1);
  };
  try {
    const result = run();
    return result instanceof Promise ? result.catch(fail) : result;
  } catch (error) {
    fail(error);
  }
}

/**
 * package.json's script NAME as `npm run` runs it, as [program, ...args] for spawn: node is this
 * Node, any other program is node_modules/.bin's. Only for scripts that are a program and plain
 * words; one that needs a shell is refused rather than run differently.
 */
export function scriptCommand(name) {
  const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const script = scripts[name];
  if (script === undefined || !/^[\w:./ -]+$/.test(script)) throw new ToolError(`package.json's script "${name}" is not a program with plain arguments: ${script}`);
  const [program, ...args] = script.split(/ +/);
  return [program === "node" ? process.execPath : path.join(root, "node_modules", ".bin", program), ...args];
}
