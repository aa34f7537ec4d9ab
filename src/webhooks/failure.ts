/**
 * What a handler threw, as an Error with a readable message. A handler may reject with anything
 * (`undefined`, `null`, a string); BullMQ reads `.message` of what the processor threw, and a dead
 * letter's `reason` should say something a person can act on.
 */
export function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown.message ? thrown : new Error(`the handler threw ${thrown.name} without a message`, { cause: thrown });
  if (typeof thrown === "string" && thrown !== "") return new Error(thrown);
  return new Error(`the handler failed with ${describe(thrown)} instead of an Error`, { cause: thrown });
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === "string") return "an empty string";
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json.length > 200 ? `${json.slice(0, 200)}...` : json;
  } catch {
    // circular: fall through
  }
  return String(value);
}
