import { EventEmitter } from 'node:events';
import postgres from 'postgres';

// postgres.js 3.4.9, patched (patches/postgres+3.4.9.patch, applied by patch-package on install):
// a connection closed while one of its writes waited for its setImmediate flush cleared the timer
// but kept its handle. Every later write of that connection then believed a flush was scheduled and
// none came: the reconnection's startup message was never sent, each attempt ended in
// CONNECT_TIMEOUT, and the pool kept a dead connection for good. bench:soak showed it after
// pg_terminate_backend: « write CONNECT_TIMEOUT » errors a minute after the cut, and an uncaught
// « Cannot read properties of null (reading 'write') » at the cut (upstream: porsager/postgres
// issues 1154 and 1208).
class FakeSocket extends EventEmitter {
  written: Buffer[] = [];
  readyState = 'open';
  constructor(private readonly closeBeforeFlush: boolean) {
    super();
  }
  override on(event: string, listener: (...args: unknown[]) => void) {
    // The driver listens for 'data' just before it writes the startup message: a close queued
    // now runs before that write's flush, as when the backend dies at that moment.
    if (event === 'data' && this.closeBeforeFlush) setImmediate(() => this.emit('close', false));
    return super.on(event, listener);
  }
  write(chunk: Buffer, callback?: () => void) {
    this.written.push(chunk);
    callback?.();
    return true;
  }
  // Like a real socket, a closed one says so once: the driver stops its timers on that event.
  destroy() {
    this.close();
  }
  end() {
    this.close();
  }
  private close() {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    setImmediate(() => this.emit('close', false));
  }
}

describe('the postgres.js driver, as patched', () => {
  it('sends the startup message of a reconnection after a close that came before a flush', async () => {
    const sockets: FakeSocket[] = [];
    // `socket` (a function returning the connection's socket) is in the driver, not in its types.
    const options = {
      host: 'fake',
      connect_timeout: 1,
      max: 1,
      onnotice: () => {},
      socket: () => {
        const socket = new FakeSocket(sockets.length === 0);
        sockets.push(socket);
        return socket;
      },
    };
    const sql = postgres(options as unknown as postgres.Options<Record<string, never>>);
    await sql`select 1`.catch(() => undefined);
    const second = sql`select 1`.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    // The new connection has sent its startup message (its length, then protocol 3.0).
    const startup = Buffer.concat(sockets[1]!.written);
    expect(startup.length).toBeGreaterThan(8);
    expect(startup.readInt32BE(4)).toBe(196608);
    await sql.end({ timeout: 0 });
    await second;
  });
});
