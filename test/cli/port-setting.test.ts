/** The one reading of MOCK_PORT (and the workbench's other port settings) that the CLI and scripts/start.mjs share. */
import { describe, expect, it } from "vitest";
import { DEFAULT_MOCK_PORT, portSetting } from "../../src/cli/port-setting.js";

describe("portSetting", () => {
  it.each([["1", 1], ["4010", 4010], ["65535", 65535], ["08080", 8080]])("%j is port %d", (value, port) => {
    expect(portSetting("MOCK_PORT", value, DEFAULT_MOCK_PORT)).toBe(port);
  });

  it("unset or empty is the fallback", () => {
    expect(portSetting("MOCK_PORT", undefined, DEFAULT_MOCK_PORT)).toBe(4010);
    expect(portSetting("MOCK_PORT", "", 4010)).toBe(4010);
  });

  it.each(["0", "65536", "123456", "4010x", "0x10", " 4010", "4010 ", "-1", "+80", "40.1", "1e3", "NaN", "٤٠١٠"])("%j throws a RangeError naming the setting", (value) => {
    expect(() => portSetting("--mock-port", value, 4010)).toThrow(new RangeError(`--mock-port takes a port number from 1 to 65535, got "${value}"`));
  });
});
