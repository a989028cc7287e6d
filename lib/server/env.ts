import { z } from 'zod';

// The one place that reads the environment.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().default('.data/pglite'),
  // 0 behind a connection pooler in transaction mode that cannot keep prepared statements.
  DATABASE_PREPARED_STATEMENTS: z.enum(['0', '1']).default('1'),
  // Connections per instance (db/index.ts): instances × this stays under the server's max_connections.
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  NEXTAUTH_SECRET: z.string().min(1).optional(),
  APP_URL: z
    .url({ protocol: /^https?$/, error: 'an absolute http(s) URL, e.g. https://portail.example.fr' })
    .optional(),
  NEXTAUTH_URL: z.url({ protocol: /^https?$/, error: 'an absolute http(s) URL' }).optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: z.string().url().optional(),
  // whsec_…: verifies Resend's delivery webhooks (POST /api/webhooks/resend).
  RESEND_WEBHOOK_SECRET: z.string().min(1).optional(),
  // The domain of the clients' receipt addresses (« recus+<code>@<domain> », lower case), received by
  // Resend and announced by its email.received webhook. Unset: no receipt address is shown or accepted.
  RECEIVING_DOMAIN: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/)
    .optional(),
  // The account's rate limit: requests to Resend are spaced to stay under it (Resend's default is 2).
  RESEND_REQUESTS_PER_SECOND: z.coerce.number().positive().max(100).default(2),
  MAIL_FROM: z.string().default('Portail Partenaires <notifications@portail-partenaires.fr>'),
  MAIL_OUTBOX_PAGE: z.enum(['0', '1']).optional(),
  CRON_SECRET: z.string().min(1).optional(),
  PLATFORM_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  // Where an invited client opens its account on the platform (outside this app).
  PLATFORM_SIGNUP_URL: z.string().url().default('https://plateforme.example/inscription'),
  CRON_TIME_BUDGET_MS: z.coerce.number().int().positive().default(250_000),
  // 1 behind a reverse proxy or load balancer that sets X-Forwarded-For (and X-Request-Id): only then
  // are those headers believed.
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
  // How many proxies in front of the app append to X-Forwarded-For (TRUST_PROXY=1 only).
  TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  // How long the activity log keeps its rows; the cron removes older ones.
  // 32 bytes, base64: the key that encrypts two-factor secrets at rest (AES-256-GCM). Required in production.
  TOTP_ENCRYPTION_KEY: z.string().optional(),
  // Benchmarks only (npm run bench:activity): 0 stops logging page views, to measure what logging costs.
  ACTIVITY_LOG_VIEWS: z.enum(['0', '1']).default('1'),
  ACTIVITY_RETENTION_DAYS: z.coerce.number().int().min(1).default(400),
  // Receipts in S3-compatible object storage (AWS, Scaleway, OVH, MinIO…) when S3_BUCKET is set;
  // in PostgreSQL otherwise. S3_ENDPOINT for a provider other than AWS (path-style addressing).
  S3_BUCKET: z.string().min(1).optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('eu-west-3'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  // Staging and tests only: the instant the digest cron takes as now (ISO 8601). Unset in production.
  CRON_NOW: z.iso.datetime({ offset: true }).optional(),
});

export type Env = z.infer<typeof schema>;

function emptyToUndefined(source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, v === '' ? undefined : v]));
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return schema.parse(emptyToUndefined(source));
}

/** Each malformed setting, named, with what is wrong (production refuses to start on any). */
export function malformedSettings(source: NodeJS.ProcessEnv = process.env): string[] {
  const parsed = schema.safeParse(emptyToUndefined(source));
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => [String(issue.path[0]), 'is malformed:', issue.message].join(' '));
}

let parsedEnv: Env | undefined;
/**
 * The settings, read once on first use. Lazily, so that a malformed setting is reported by
 * `assertProductionSettings` with its name instead of throwing while a module is imported (which
 * left `next start` up and answering 500 everywhere, health included).
 */
export const env: Env = new Proxy({} as Env, {
  get(_target, key) {
    parsedEnv ??= readEnv();
    return parsedEnv[key as keyof Env];
  },
});

export function appUrl(): string {
  return (env.APP_URL ?? env.NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/$/, '');
}

/**
 * An absolute URL of the app, from its configured public URL: never from the request, whose URL
 * under `next start` is http://localhost:PORT whatever the user typed.
 */
export function appLink(path: string): URL {
  return new URL(path, `${appUrl()}/`);
}

// next-auth refuses to run in production without a secret; in development a fixed one keeps
// sessions alive across restarts of `npm run dev`.
export function authSecret(): string | undefined {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  return env.NODE_ENV === 'production' ? undefined : 'development-only-secret-not-for-production';
}
