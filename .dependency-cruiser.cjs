// The import rules of src/ (README "Where things are"): entries -> API families and the receiving
// side -> the request core -> the spec's types -> generated/. `npm test` runs them (npm run deps);
// a new circle or an import against the layers fails with the import that caused it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No circle anywhere in src/, type-only imports included: move what both sides need below both.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "nothing-imports-an-entry",
      severity: "error",
      comment: "index.ts, redis.ts and cli.ts are what users (and bin) load; nothing inside src/ imports them.",
      from: { path: "^src/" },
      to: { path: "^src/(index|redis|cli)\\.ts$" },
    },
    {
      name: "types-only-from-generated",
      severity: "error",
      comment: "src/types.ts names the spec's types: it imports generated/ and nothing else of ours.",
      from: { path: "^src/types\\.ts$" },
      to: { path: "^src/" },
    },
    {
      name: "core-imports-no-family",
      severity: "error",
      comment: "The request core serves every API family and the receiving side; it imports none of them.",
      from: { path: "^src/core/" },
      to: { path: "^src/(application|contact|realtime|webhooks|redis|cli)/" },
    },
    {
      name: "contact-imports-no-other-family",
      severity: "error",
      comment: "The Client API (src/contact/) stands on the request core alone: no other API family (realtime included), no receiving side, no CLI.",
      from: { path: "^src/contact/" },
      to: { path: "^src/(application|realtime|webhooks|redis|cli)/" },
    },
    {
      name: "realtime-imports-only-core-and-types",
      severity: "error",
      comment: "src/realtime/ (the ActionCable client) builds on the core and the spec's types only; the REST resync is injected, not imported.",
      from: { path: "^src/realtime/" },
      to: { path: "^src/", pathNot: "^src/(realtime/|core/|types\\.ts$)" },
    },
    {
      name: "families-import-no-realtime",
      severity: "error",
      comment: "The Application API and the receiving side do not build on the realtime client; the entries and the CLI (contact watch) do.",
      from: { path: "^src/(application|webhooks|redis)/" },
      to: { path: "^src/realtime/" },
    },
    {
      name: "no-family-imports-contact",
      severity: "error",
      comment: "Only an entry and the CLI use the Client API; the other families and the receiving side do not.",
      from: { path: "^src/(application|webhooks|redis)/" },
      to: { path: "^src/contact/" },
    },
    {
      name: "application-imports-no-receiver",
      severity: "error",
      comment: "The Application API's resources send; receiving (webhooks, redis) and the CLI sit above them.",
      from: { path: "^src/application/" },
      to: { path: "^src/(webhooks|redis|cli)/" },
    },
    {
      name: "webhooks-import-no-redis-or-cli",
      severity: "error",
      comment: "src/webhooks/ runs everywhere; the Redis queue (Node only) and the CLI build on it, not the reverse.",
      from: { path: "^src/webhooks/" },
      to: { path: "^src/(redis|cli)/" },
    },
    {
      name: "redis-imports-no-cli",
      severity: "error",
      from: { path: "^src/redis/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "portable-code-imports-no-node",
      severity: "error",
      comment: "Everything but the CLI and the Redis queue runs in browsers, Deno, Bun and edge runtimes.",
      from: { path: "^src/", pathNot: "^src/(cli|redis)(/|\\.ts$)" },
      to: { dependencyTypes: ["core"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "^(generated|node_modules)/" },
  },
};
