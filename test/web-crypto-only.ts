/**
 * vitest setup file of the "web crypto" project: a runtime without node:crypto (browsers, edge
 * runtimes), as far as this package can tell, so that its webhook tests run on Web Crypto too.
 */
Object.defineProperty(process, "getBuiltinModule", { value: undefined, configurable: true });
