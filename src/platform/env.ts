import { z } from 'zod';
import { flattenIssues } from '../contract/issues.js';

/** The process environment, parsed once. Nothing else reads process.env. */
export const Env = z.object({
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'must start with sqlite: or postgres://')
    .default('sqlite:./data/baton.db'),
  /**
   * Shared counters for several processes: the per-route request limits and the sign-in brake
   * count in this Redis instead of each process's memory. Unset: each process counts alone.
   */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  /** What every key Baton writes in Redis starts with (several desks on one Redis). */
  BATON_REDIS_PREFIX: z.string().min(1).max(100).default('baton:'),
  BATON_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  BATON_DEMO: z.enum(['0', '1']).default('1'),
  /** Baton's public address (links in email and Slack); `https://…` also makes the session cookie Secure. */
  BATON_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /**
   * Behind a proxy: whose X-Forwarded-For / -Proto / -Host to believe. `true` (any), a number of
   * hops, or addresses and CIDRs separated by commas; unset, none (Fastify's trustProxy).
   */
  BATON_TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, 'must be true, false, a number of hops, or addresses/CIDRs separated by commas')
    .optional(),
  BATON_SWEEP_MS: z.coerce.number().int().min(100).default(5_000),
  /**
   * How long a claimed external delivery (email, Slack, webhook, bot) is its process's before
   * another process may take it over (ms). Renewed every third of it while the process works on
   * it, so it runs out only when the process is gone; shorter means a dead process's deliveries
   * resume sooner.
   */
  BATON_OUTBOX_LEASE_MS: z.coerce.number().int().min(300).max(600_000).default(30_000),
  /** How long realtime frames stay replayable with `?after=` (hours); older ones are pruned. */
  BATON_STREAM_RETENTION_HOURS: z.coerce.number().int().min(1).default(168),
  /** Inbound email over SMTP: listen on this port when set (0: any free port, for tests). */
  BATON_SMTP_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  BATON_SMTP_HOST: z.string().default('127.0.0.1'),
  /** Largest inbound email, SMTP and HTTP hook (bytes); Postfix's default message_size_limit. */
  BATON_SMTP_MAX_BYTES: z.coerce.number().int().min(1_024).default(10_240_000),
  /** `0` turns the per-route request limits off (load tests, a desk behind its own limiter). */
  BATON_RATE_LIMITS: z.enum(['0', '1']).default('1'),
  /** `1`: `/metrics` answers anyone (a scraper inside a private network); otherwise an admin's token. */
  BATON_METRICS_PUBLIC: z.enum(['0', '1']).default('0'),
  /** Serve `/metrics` without credentials on this port too, bound to HOST (0: any free port, for tests). */
  BATON_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type Env = z.infer<typeof Env>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = Env.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = flattenIssues(parsed.error.issues).map((d) => `  ${d.path}: ${d.message}`);
  throw new Error(`invalid environment:\n${lines.join('\n')}`);
}

/** `BATON_TRUST_PROXY` as Fastify's `trustProxy` takes it. */
export function trustProxyOf(env: Env): boolean | string[] | ((address: string, hop: number) => boolean) {
  const value = env.BATON_TRUST_PROXY;
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((part) => part.trim());
}
