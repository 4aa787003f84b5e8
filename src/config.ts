import { randomBytes } from 'node:crypto';
import { z } from 'zod';

// The only place that reads process.env. Everything else receives a Config.
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BASE_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().default('./data'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  DEMO_MODE: bool.optional(),
  LOAD_DEMO_DATA: bool.default(true),
  RUN_JOBS: bool.default(true),
  WATCH_TEMPLATES: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Leadwell <no-reply@leadwell.invalid>'),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_MATCH_CLAIM: z.string().default('email'),
  OIDC_SCOPES: z.string().default('openid email profile'),
  OIDC_LABEL: z.string().default('Sign in with your NHS account'),
  DISCLOSURE_MIN: z.coerce.number().int().min(1).default(8),
  SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  SIGNIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  RATE_LIMIT_SIGNIN_PER_MINUTE: z.coerce.number().int().min(1).default(20),
});

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof schema>) {
  const port = env.PORT;
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port,
    baseUrl: (env.BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    dataDir: env.DATA_DIR,
    // Outside production a random secret is fine: sessions live in the database, keyed by a hash of the cookie.
    sessionSecret: env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    sessionIdleMs: env.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: env.SESSION_ABSOLUTE_HOURS * 3_600_000,
    // undefined = decide from the data: on when demo data has been loaded.
    demoMode: env.DEMO_MODE,
    loadDemoData: env.LOAD_DEMO_DATA,
    // The web process runs the job worker too unless told not to (a separate `leadwell worker` process instead).
    runJobs: env.RUN_JOBS,
    // Read templates from disk again on every request (for editing them): compiling a large form's templates
    // costs a second or more a request, so only `npm run dev` asks for it, never the demo or production.
    watchTemplates: env.WATCH_TEMPLATES,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    oidc: env.OIDC_ISSUER
      ? {
          issuer: env.OIDC_ISSUER,
          clientId: env.OIDC_CLIENT_ID!,
          clientSecret: env.OIDC_CLIENT_SECRET!,
          matchClaim: env.OIDC_MATCH_CLAIM,
          scopes: env.OIDC_SCOPES,
          label: env.OIDC_LABEL,
        }
      : undefined,
    disclosureMin: env.DISCLOSURE_MIN,
    signIn: {
      maxFailures: env.SIGNIN_MAX_FAILURES,
      lockMs: env.SIGNIN_LOCK_MINUTES * 60_000,
      perMinute: env.RATE_LIMIT_SIGNIN_PER_MINUTE,
    },
  };
}

export class ConfigError extends Error {}

/** Parse the environment once; on failure name every variable that is wrong. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
  problems.push(...crossChecks(env));
  if (problems.length || !parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return toConfig(parsed.data);
}

/** Rules across variables, checked on the raw values so that every problem is reported at once. */
function crossChecks(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) out.push('SESSION_SECRET: is required in production');
  const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    out.push('OIDC_ISSUER: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together');
  }
  return out;
}
