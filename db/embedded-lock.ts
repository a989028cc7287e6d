import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite is one process's database: a second process opening the same folder (a `db:seed` or a
 * `cron:digests` while `npm run dev` runs) would corrupt it. The first process to open the folder
 * writes its pid in `portail.lock` there; another is refused with a message that says what to do.
 * A lock whose process is gone (a crash, a kill -9) is taken over.
 */
export class EmbeddedDatabaseBusy extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockEmbeddedDatabase(dataDir: string): () => void {
  const file = path.join(dataDir, 'portail.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(file, { force: true });
      process.once('exit', release);
      return () => {
        process.off('exit', release);
        release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (holder === process.pid) return () => {};
      if (Number.isInteger(holder) && holder > 0 && alive(holder))
        throw new EmbeddedDatabaseBusy(
          `La base embarquée (${dataDir}) est ouverte par un autre processus (pid ${holder}, sans doute npm run dev ou npm start). ` +
            'PGlite n’accepte qu’un processus à la fois : arrêtez-le puis relancez cette commande, ' +
            'ou faites-la avec DATABASE_URL sur un serveur PostgreSQL.',
        );
      rmSync(file, { force: true });
    }
  }
  throw new EmbeddedDatabaseBusy(
    `La base embarquée (${dataDir}) est verrouillée : supprimez ${file} si aucun processus ne l’utilise.`,
  );
}
