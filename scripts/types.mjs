// The TypeScript types from the spec, made with openapi-typescript's own API in this process: what
// its CLI does for redocly.yaml's `messages` API (x-openapi-ts.output), with the same options and
// the same Redocly core, but without a Node start and a module load per run (about 1.5 s of CPU):
// the workbench makes them on every save. They are made from the bundle just written (the same
// types as from openapi/, without resolving its files a second time). generate and check:generated
// use it too, so that the three can never disagree about what the types are.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import { projectDir, ToolError } from "./tools.mjs";

// The Redocly core openapi-typescript depends on (older than @redocly/cli's), as its CLI loads it.
const { loadConfig } = createRequire(import.meta.resolve("openapi-typescript"))("@redocly/openapi-core");

/**
 * Defaults do not make a property required: a request may leave out `private` or `content_type`
 * (the CLI's --default-non-nullable false).
 */
const options = { defaultNonNullable: false };

/**
 * @param {string} bundle  the bundled spec (JSON), as bundleSpec wrote it
 * @param {string} [dir]  the project, whose redocly.yaml says where the types go
 * @returns {Promise<{ output: string, text: string }>} where the types go, and what they are.
 */
export async function generatedTypes(bundle, dir = projectDir) {
  const configPath = path.join(dir, "redocly.yaml");
  const redocly = await loadConfig({ configPath });
  const api = redocly.apis.messages;
  let ast;
  try {
    ast = await openapiTS(JSON.parse(readFileSync(bundle, "utf8")), { ...options, redocly });
  } catch (error) {
    throw new ToolError(`openapi-typescript failed:\n${error.message}`);
  }
  return { output: path.resolve(dir, api["x-openapi-ts"].output), text: `${COMMENT_HEADER}${astToString(ast)}` };
}
