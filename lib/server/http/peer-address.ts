import type { IncomingMessage, Server } from 'node:http';

/**
 * The header that carries the address of the TCP peer into the app. Next.js exposes no socket to a
 * route handler, middleware or server action, and the X-Forwarded-For it passes on is the client's
 * own when the client wrote one (Next only fills it in when absent). So, before Next sees a request,
 * the server writes the socket's address here, replacing whatever the client sent under this name:
 * what this header says is a fact of the connection, never the client's word.
 */
export const PEER_ADDRESS_HEADER = 'x-portail-peer-address';

type Patched = typeof globalThis & { __portailPeerAddress?: boolean };

/**
 * Called once at start-up (instrumentation.ts, Node.js runtime): every HTTP server of the process
 * stamps each request with its socket's address before any listener, Next's included, reads it.
 */
export async function installPeerAddress(): Promise<void> {
  const flag = globalThis as Patched;
  if (flag.__portailPeerAddress) return;
  flag.__portailPeerAddress = true;
  const http = await import('node:http');
  const emit = http.Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request' || event === 'checkContinue' || event === 'checkExpectation') {
      stampPeerAddress(args[0] as IncomingMessage);
    }
    return emit.call(this, event, ...args);
  } as Server['emit'];
}

function stampPeerAddress(request: IncomingMessage): void {
  request.headers[PEER_ADDRESS_HEADER] = request.socket?.remoteAddress ?? 'unknown';
}
