import { sql } from 'drizzle-orm';
import { db, queryRows } from '@/db';
import { rechunk, type StorageDriver } from './driver';

const CHUNK = 256 * 1024;

/** The default: the bytes in PostgreSQL (file_chunks), 256 KiB a row; works with the embedded database. */
export const postgresDriver: StorageDriver = {
  name: 'postgres',
  async write(id, source) {
    let seq = 0;
    try {
      for await (const chunk of rechunk(source, CHUNK)) {
        await db.execute(sql`INSERT INTO file_chunks (file_id, seq, data) VALUES (${id}, ${seq}, ${chunk})`);
        seq += 1;
      }
    } catch (error) {
      await this.remove(id).catch(() => undefined);
      throw error;
    }
  },
  async *read(id) {
    for (let seq = 0; ; seq += 1) {
      const [row] = await queryRows<{ data: Uint8Array }>(
        sql`SELECT data FROM file_chunks WHERE file_id = ${id} AND seq = ${seq}`,
      );
      if (!row) return;
      yield row.data;
    }
  },
  async remove(id) {
    await db.execute(sql`DELETE FROM file_chunks WHERE file_id = ${id}`);
  },
};
