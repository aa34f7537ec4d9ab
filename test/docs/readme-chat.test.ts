/** README "A chat of your own" is the code test/types/chat-of-your-own.typetest.ts compiles, to the character. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { root } from "../helpers/processes.js";

it("the README's chat example is the type-checked one", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### A chat of your own"));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  const typetest = readFileSync(path.join(root, "test/types/chat-of-your-own.typetest.ts"), "utf8");
  const checked = /\/\/ README:begin\n([\s\S]*?)\/\/ README:end/.exec(typetest)?.[1];
  expect(block, "the code block under ### A chat of your own").toBeTruthy();
  expect(checked?.replace('from "../../src/index.js"', 'from "chatwoot-messages"')).toBe(block);
});
