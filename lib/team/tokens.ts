import { createHash } from 'node:crypto';

/** Invitation tokens are stored hashed: the database alone cannot be used to join a firm. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
