/**
 * Random ids the contact client picks: a session's source_id (a UUID v4, as the server would pick)
 * and a message's echo_id. crypto.getRandomValues, not crypto.randomUUID, which browsers offer only
 * in secure contexts (a kiosk on plain http to a LAN server has none).
 */
export function randomUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
