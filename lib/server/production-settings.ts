import { malformedSettings, readEnv, type Env } from '@/lib/server/env';

// Node only (process.exit): imported by instrumentation.ts and the cron CLI, never by middleware.ts.

const MIN_SECRET_LENGTH = 32;

/**
 * What production cannot run without, in words an operator can act on. `next start` and the cron
 * CLI refuse to start while this list is not empty; development keeps its defaults.
 */
export function productionSettingsProblems(source: NodeJS.ProcessEnv = process.env): string[] {
  const malformed = malformedSettings(source);
  if (malformed.length > 0) return malformed;
  const problems: string[] = [];
  const settings: Env = readEnv(source);
  // The embedded database is for a laptop: in production it would start empty, or seeded with
  // the demo firm whose published password opens a session.
  if (!settings.DATABASE_URL)
    problems.push('DATABASE_URL is missing: production runs on a PostgreSQL server (postgres://user@host:5432/base)');
  if (!settings.NEXTAUTH_SECRET) problems.push('NEXTAUTH_SECRET is missing (a random string of 32 characters or more)');
  else if (settings.NEXTAUTH_SECRET.length < MIN_SECRET_LENGTH)
    problems.push(`NEXTAUTH_SECRET is too short (${settings.NEXTAUTH_SECRET.length} characters; 32 or more)`);
  const key = settings.TOTP_ENCRYPTION_KEY ? Buffer.from(settings.TOTP_ENCRYPTION_KEY, 'base64') : undefined;
  if (!key) problems.push('TOTP_ENCRYPTION_KEY is missing (32 random bytes in base64: openssl rand -base64 32)');
  else if (key.length !== 32)
    problems.push(`TOTP_ENCRYPTION_KEY must be 32 bytes in base64 (it decodes to ${key.length})`);
  const publicUrl = settings.APP_URL ?? settings.NEXTAUTH_URL;
  if (!publicUrl)
    problems.push(
      'APP_URL (or NEXTAUTH_URL) is missing: the public address of the portal, e.g. https://portail.example.fr',
    );
  else if (!/^https?:\/\//.test(publicUrl)) problems.push(`APP_URL must be an absolute http(s) URL, not ${publicUrl}`);
  return problems;
}

/** Stops the process with a clear message when production settings are missing or weak. */
export function assertProductionSettings(source: NodeJS.ProcessEnv = process.env): void {
  if (source.NODE_ENV !== 'production') return;
  const problems = productionSettingsProblems(source);
  if (problems.length === 0) return;
  console.error(
    `Portail Partenaires cannot start in production:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee README.md, section « Déploiement ».`,
  );
  process.exit(1);
}
