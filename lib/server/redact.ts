import { format } from 'node:util';

// The links we e-mail carry their secret in the path (receipt requests, invitations, unsubscribe).
// Anyone who reads a log line holding one could upload into a client's account or unsubscribe a
// colleague: so every line the process writes goes through this rule, ours (pino) and the
// framework's (console), whatever wrote the path.
const LINK_PATH = /\/(recus|invitation|desabonnement|api\/unsubscribe)\/(?!\[token\])[^/\s?#"'<>\\]+/g;
const TOKEN_PARAMETER = /([?&](?:token|jeton)=)[^&\s"'<>\\]+/gi;

/** A text with the token of every link path (and `?token=`) replaced by `[token]`. */
export function redactLinkTokens(text: string): string {
  return text.replace(LINK_PATH, '/$1/[token]').replace(TOKEN_PARAMETER, '$1[token]');
}

type Patched = typeof globalThis & { __portailConsoleRedacted?: boolean };

/** Every console method formats its arguments as usual, then writes them without link tokens. */
export function redactConsole(): void {
  const flag = globalThis as Patched;
  if (flag.__portailConsoleRedacted) return;
  flag.__portailConsoleRedacted = true;
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => original(redactLinkTokens(format(...args)));
  }
}
