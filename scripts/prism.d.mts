// Types for scripts/prism.mjs, so that the TypeScript tests can start Prism too.
export interface StartPrismOptions {
  port?: number;
  args?: string[];
  spec?: string;
  mode?: "mock" | "proxy";
  upstream?: string;
  onOutput?: (line: string) => void;
}
export interface RunningPrism {
  url: string;
  port: number;
  /** The supervisor's pid; Prism is its only child. */
  pid: number;
  stop(): Promise<void>;
}
export function startPrism(options?: StartPrismOptions): Promise<RunningPrism>;
export function freePort(): Promise<number>;
