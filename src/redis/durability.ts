/**
 * Whether Redis keeps what it acknowledged. "202 only once stored" is only as good as Redis's
 * settings: without AOF (`appendonly yes`) a crash loses what came after the last snapshot, and
 * with an eviction policy other than `noeviction` Redis deletes jobs when memory runs short.
 * Managed Redis often disables CONFIG: then nothing can be checked, and that is said instead.
 */
import type { Redis } from "ioredis";

export interface DurabilityReport {
  /** Settings seen to lose acknowledged deliveries; empty when none. */
  problems: string[];
  /** False when CONFIG GET was refused (renamed or disabled): the settings are unknown. */
  checked: boolean;
}

export async function checkDurability(client: Redis): Promise<DurabilityReport> {
  let settings: Record<string, string>;
  try {
    const pairs = (await client.call("CONFIG", "GET", "appendonly", "appendfsync", "maxmemory-policy")) as string[];
    settings = Object.fromEntries(pairs.flatMap((value, i) => (i % 2 === 0 ? [[value, pairs[i + 1] ?? ""]] : [])));
  } catch {
    return { problems: [], checked: false };
  }
  const problems: string[] = [];
  if (settings.appendonly !== "yes") problems.push(`appendonly is "${settings.appendonly}" (a crash loses what was stored since the last snapshot: set appendonly yes)`);
  else if (settings.appendfsync === "no") problems.push(`appendfsync is "no" (the OS decides when the AOF reaches the disk: set appendfsync everysec or always)`);
  if (settings["maxmemory-policy"] !== "noeviction") {
    problems.push(`maxmemory-policy is "${settings["maxmemory-policy"]}" (Redis may evict stored deliveries when memory runs short: set maxmemory-policy noeviction)`);
  }
  return { problems, checked: true };
}

export function durabilityWarning(report: DurabilityReport): string | undefined {
  if (!report.checked) {
    return "chatwoot-messages/redis: could not read Redis's persistence settings (CONFIG is disabled); acknowledged deliveries survive a Redis crash only with appendonly yes and maxmemory-policy noeviction";
  }
  return report.problems.length ? `chatwoot-messages/redis: Redis may lose acknowledged deliveries: ${report.problems.join("; ")}` : undefined;
}
