/**
 * Chatwoot's webhook signature: hex HMAC-SHA256(secret, "{timestamp}.{raw body}"), with Web
 * Crypto so that it runs in every runtime. `verify` compares in constant time.
 */
const encoder = new TextEncoder();

/** The bytes Chatwoot signs. */
export function signedBytes(timestamp: string, body: Uint8Array): Uint8Array {
  const prefix = encoder.encode(`${timestamp}.`);
  const joined = new Uint8Array(prefix.length + body.length);
  joined.set(prefix);
  joined.set(body, prefix.length);
  return joined;
}

/** Whether `hex` is the signature of `signed` under `secret`. */
export async function hmacMatches(secret: string, signed: Uint8Array, hex: string): Promise<boolean> {
  return crypto.subtle.verify("HMAC", await hmacKey(secret), fromHex(hex) as BufferSource, signed as BufferSource);
}

/** The lowercase hex signature of `signed` under `secret`. */
export async function hmacHex(secret: string, signed: Uint8Array): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), signed as BufferSource));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("");
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
