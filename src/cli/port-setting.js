// How a port setting such as MOCK_PORT is read, one way for the command line (src/cli/main.ts) and
// the workbench (scripts/start.mjs). Plain JavaScript, with no imports, so that the workbench can
// import it from the source tree without a build; tsc copies it into dist/ for the CLI.

/**
 * The port a setting names: a whole number from 1 to 65535, written in digits only. Unset or empty
 * (`MOCK_PORT= npm start`) means `fallback`. Anything else throws a RangeError naming `name`.
 * @param {string} name what the user set, e.g. "MOCK_PORT" or "--mock-port"
 * @param {string | undefined} value
 * @param {number} fallback
 * @returns {number}
 */
export function portSetting(name, value, fallback) {
  if (value === undefined || value === "") return fallback;
  const number = /^[0-9]{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 1 && number <= 65535)) throw new RangeError(`${name} takes a port number from 1 to 65535, got "${value}"`);
  return number;
}

/** The port of the mock `npm start` runs, and the CLI talks to without a base URL. */
export const DEFAULT_MOCK_PORT = 4010;
