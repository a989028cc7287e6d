import type { Instrumentation } from 'next';

export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { assertProductionSettings } = await import('./lib/server/production-settings');
  assertProductionSettings();
  // No link's token in any line the process writes, Next's own included.
  const { redactConsole } = await import('./lib/server/redact');
  redactConsole();
  // Before the first request: the socket's address travels in a header only the server writes.
  const { installPeerAddress } = await import('./lib/server/http/peer-address');
  await installPeerAddress();
  const { prepareEmbeddedDatabase } = await import('./db/prepare');
  await prepareEmbeddedDatabase();
}

/** One JSON line per server error of a page, route or action, with the request id (never the headers). */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { logger } = await import('./lib/server/log');
  const requestId = request.headers['x-request-id'];
  logger.error(
    {
      err: error,
      requestId: Array.isArray(requestId) ? requestId[0] : requestId,
      method: request.method,
      // Links from e-mails carry their token in the path: the logger's rule (lib/server/redact.ts) removes it.
      path: request.path.split('?')[0],
      route: context.routePath,
      kind: context.routeType,
    },
    'request failed',
  );
};
