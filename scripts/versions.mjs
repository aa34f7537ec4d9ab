// Semver versions as `diff` and `release:notes` compare them: MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD].

/** @returns {{ major: number, minor: number, patch: number, pre: string[] }} */
export function parseVersion(version) {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version);
  if (!match) throw new Error(`"${version}" is not a semver version (MAJOR.MINOR.PATCH[-PRERELEASE]).`);
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), pre: match[4]?.split(".") ?? [] };
}

/** Semver precedence, pre-releases included: 1.0.0-beta.2 < 1.0.0-beta.10 < 1.0.0 < 1.0.1. */
export function compareVersions(x, y) {
  const [a, b] = [x, y].map(parseVersion);
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length; // a release follows its pre-releases
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const [p, q] = [a.pre[i], b.pre[i]];
    if (p === undefined || q === undefined) return p === undefined ? -1 : 1;
    if (p === q) continue;
    const [m, n] = [/^\d+$/.test(p), /^\d+$/.test(q)];
    if (m && n) return Number(p) - Number(q);
    if (m !== n) return m ? -1 : 1; // numeric identifiers sort before alphanumeric ones
    return p < q ? -1 : 1;
  }
  return 0;
}
