import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmbeddedDatabaseBusy, lockEmbeddedDatabase } from '@/db/embedded-lock';

describe('the embedded database opens in one process at a time', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'portail-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second process with a message that says what to do, and leaves its lock alone', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(path.join(dir, 'portail.lock'), String(holder.pid));
      expect(() => lockEmbeddedDatabase(dir)).toThrow(EmbeddedDatabaseBusy);
      expect(() => lockEmbeddedDatabase(dir)).toThrow(/ouverte par un autre processus \(pid \d+.*arrêtez-le/);
      expect(readFileSync(path.join(dir, 'portail.lock'), 'utf8')).toBe(String(holder.pid));
    } finally {
      holder.kill();
    }
  });

  it('takes over the lock of a process that is gone, and releases it', async () => {
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(path.join(dir, 'portail.lock'), String(gone.pid));
    const release = lockEmbeddedDatabase(dir);
    expect(readFileSync(path.join(dir, 'portail.lock'), 'utf8')).toBe(String(process.pid));
    // The same process may open it again (a module reloaded by the dev server).
    expect(() => lockEmbeddedDatabase(dir)).not.toThrow();
    release();
    expect(existsSync(path.join(dir, 'portail.lock'))).toBe(false);
  });
});
