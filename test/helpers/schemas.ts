/**
 * Validates values against the schemas of the bundled spec (generated/openapi.json) with Ajv, the
 * validator Prism itself uses, in the JSON Schema 2020-12 dialect of OpenAPI 3.1. Prism checks the
 * requests it receives but not the responses it makes up; this checks those, and values the spec
 * should accept or refuse without a round trip.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { spec } from "./prism.js";

const SPEC_ID = "https://chatwoot-messages.invalid/openapi.json";

// strict: false lets OpenAPI's own keywords (discriminator, example, x-...) through unchecked;
// oneOf still decides between the alternatives a discriminator names.
const ajv = new Ajv2020({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its function is the default export's `default`.
addFormatsModule.default(ajv);
ajv.addSchema({ ...spec, $id: SPEC_ID });

export interface Verdict {
  valid: boolean;
  errors: string[];
}

/** Validates `value` against the schema at a JSON pointer of the bundled spec. */
export function validateAt(pointer: string[], value: unknown): Verdict {
  const fragment = pointer.map((p) => encodeURIComponent(p.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");
  const validate = ajv.getSchema(`${SPEC_ID}#/${fragment}`);
  if (!validate) throw new Error(`no schema at /${pointer.join("/")}`);
  const valid = validate(value) as boolean;
  return { valid, errors: (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath || "/"} ${e.message}`) };
}

/** Validates `value` against `components.schemas[name]`. */
export function validateSchema(name: string, value: unknown): Verdict {
  return validateAt(["components", "schemas", name], value);
}

/** Validates a response body against what the spec documents for that operation, status and media type. */
export function validateResponse(path: string, method: string, status: number, value: unknown, mediaType = "application/json"): Verdict {
  const response = spec.paths[path]?.[method]?.responses?.[String(status)];
  if (!response) throw new Error(`${method.toUpperCase()} ${path} documents no ${status}`);
  const pointer = response.$ref
    ? [...(response.$ref as string).slice(2).split("/"), "content", mediaType, "schema"]
    : ["paths", path, method, "responses", String(status), "content", mediaType, "schema"];
  return validateAt(pointer, value);
}
