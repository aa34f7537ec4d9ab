/**
 * HMAC-SHA256, the one MAC Chatwoot uses: its webhook signature, hex HMAC(secret, "{timestamp}.{raw
 * body}"), and a contact's identifier_hash, hex HMAC(hmac token, identifier). Where the
 * runtime has node:crypto (Node ≥ 20.16, Deno, Bun: `process.getBuiltinModule`), its synchronous
 * HMAC is used, over the body as given (no copy); elsewhere (browsers, edge runtimes) Web Crypto,
 * with the imported key cached per secret. No static import of a Node module: the main entry
 * stays portable. Both compare in constant time.
 */
interface NodeHmac {
  update(data: string | Uint8Array): NodeHmac;
  digest(): Uint8Array;
}
interface NodeCrypto {
  createHmac(algorithm: "sha256", key: string): NodeHmac;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.("node:crypto") as
  | NodeCrypto
  | undefined;

/** Which implementation this runtime uses. */
export const hmacImplementation: "node:crypto" | "web-crypto" = nodeCrypto ? "node:crypto" : "web-crypto";

const encoder = new TextEncoder();

/** Whether `hex` (64 hex digits) is the signature of `{timestamp}.{body}` under `secret`. */
export async function hmacMatches(secret: string, timestamp: string, body: string | Uint8Array, hex: string): Promise<boolean> {
  if (nodeCrypto) return nodeCrypto.timingSafeEqual(nodeCrypto.createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest(), fromHex(hex));
  return crypto.subtle.verify("HMAC", await hmacKey(secret), fromHex(hex) as BufferSource, signedBytes(timestamp, body) as BufferSource);
}

/** The lowercase hex signature of `{timestamp}.{body}` under `secret`. */
export async function hmacHex(secret: string, timestamp: string, body: string | Uint8Array): Promise<string> {
  const mac = nodeCrypto
    ? nodeCrypto.createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest()
    : new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), signedBytes(timestamp, body) as BufferSource));
  return toHex(mac);
}

/** The lowercase hex HMAC-SHA256 of `message` under `secret`. */
export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const mac = nodeCrypto
    ? nodeCrypto.createHmac("sha256", secret).update(message).digest()
    : new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(message) as BufferSource));
  return toHex(mac);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Web Crypto signs one buffer: the prefix and the body, joined. */
function signedBytes(timestamp: string, body: string | Uint8Array): Uint8Array {
  if (typeof body === "string") return encoder.encode(`${timestamp}.${body}`);
  const prefix = encoder.encode(`${timestamp}.`);
  const joined = new Uint8Array(prefix.length + body.length);
  joined.set(prefix);
  joined.set(body, prefix.length);
  return joined;
}

// Importing the key costs more than the HMAC of a small body: keep a few, by secret.
const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 16) keys.delete(keys.keys().next().value!);
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
