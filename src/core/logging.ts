/**
 * Opt-in logging: nothing is logged unless a logger is given. A line per attempt names the
 * method, the path, the status (or the error's name) and the time taken; headers (and so the
 * token) and bodies are never logged. It wraps the attempt rather than hooking into middleware,
 * so it keeps no state between hooks that a later middleware could skip.
 */
export interface Logger {
  debug?(message: string): void;
  warn?(message: string): void;
}

export function logged<T extends { response: Response }>(
  logger: Logger | undefined,
  line: () => string,
  attempt: () => Promise<T>,
): Promise<T> {
  return logger ? withLine(logger, line, attempt) : attempt();
}

async function withLine<T extends { response: Response }>(logger: Logger, line: () => string, attempt: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const outcome = await attempt();
    logger.debug?.(`${line()} -> ${outcome.response.status} in ${elapsed(started)} ms`);
    return outcome;
  } catch (error) {
    logger.warn?.(`${line()} failed after ${elapsed(started)} ms: ${(error as Error | null)?.name ?? typeof error}`);
    throw error;
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
