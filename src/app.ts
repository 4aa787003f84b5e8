import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Deps } from './deps.ts';
import type { AppContext, Feature } from './feature.ts';
import { features } from './features/index.ts';
import { postgresRateLimitStore } from './plugins/rate-limit-store.ts';
import securityHeaders from './plugins/security-headers.ts';
import sessionPlugin from './plugins/session.ts';
import { HttpError } from './web/http.ts';
import { createNunjucks, nhsukAssets, nhsukBundle } from './web/nunjucks.ts';
import renderPlugin from './web/render.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface AppOptions {
  demoMode: boolean;
  /** Re-read templates on every render (development). */
  watchTemplates?: boolean;
}

/** The web app: plugins, then the one explicit list of features. Never listens: server.ts and tests do that. */
export async function buildApp(
  deps: Deps,
  opts: AppOptions,
  featureList: Feature[] = features,
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({}, { serializers: { req: requestForLog } }),
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Never echo request bodies in errors.
    return503OnClosing: true,
  });
  const ctx: AppContext = { deps, demoMode: opts.demoMode };
  const nunjucks = createNunjucks({ watch: opts.watchTemplates });

  await app.register(securityHeaders, {
    helmet: {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          // The NHS design system's Frutiger fonts are served by NHS England; without them pages fall back to Arial.
          fontSrc: ["'self'", 'https://assets.nhs.uk'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: deps.config.baseUrl.startsWith('https://'),
      referrerPolicy: { policy: 'same-origin' },
    },
  });
  await app.register(cookie, { secret: deps.config.sessionSecret });
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 20 } });
  await app.register(csrf, {
    cookieKey: 'lw_csrf',
    cookieOpts: {
      path: '/',
      sameSite: 'lax',
      httpOnly: true,
      signed: true,
      secure: deps.config.baseUrl.startsWith('https://'),
    },
  });
  // Counted in PostgreSQL so that the limits hold across instances.
  await app.register(rateLimit, { global: false, store: postgresRateLimitStore(deps.db) as never });
  await app.register(fastifyStatic, {
    root: [nhsukAssets, nhsukBundle],
    prefix: '/assets/',
    maxAge: '1d',
    // Only the built files: not the templates and sources that sit beside them.
    allowedPath: (p) => /\.(css|js|map|svg|png|ico|json|woff2?)$/.test(p),
  });
  await app.register(fastifyStatic, {
    root: path.join(here, 'web', 'static'),
    prefix: '/static/',
    decorateReply: false,
    maxAge: '1h',
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Leadwell API',
        version: '1.0.0',
        description:
          'JSON API of Leadwell. Authenticate with a personal API token (`Authorization: Bearer …`); each token acts with one of its owner’s roles.',
      },
      servers: [{ url: deps.config.baseUrl }],
      components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
      security: [{ token: [] }],
    },
    transform: ({ schema, url }) => ({
      schema: (url.startsWith('/api/v1/') && url !== '/api/v1/openapi.json'
        ? schema
        : { ...schema, hide: true }) as never,
      url,
    }),
  });
  await app.register(sessionPlugin, { deps });
  await app.register(renderPlugin, { nunjucks, demoMode: () => ctx.demoMode });

  // PostgreSQL text cannot hold U+0000: a NUL in a path, query or form would reach the database and fail there
  // as a 500. No legitimate input carries one, so it is refused up front. (Uploads are checked where they are read.)
  app.addHook('preValidation', async (req) => {
    if (/%00/i.test(req.url) || req.url.includes('\u0000') || holdsNul(req.body)) {
      throw new HttpError(400, 'The request contains a character that is not allowed (NUL): remove it and try again');
    }
  });

  // CSRF on every state-changing request, except API calls authenticated by a bearer token
  // (no ambient credentials to abuse). In preValidation, so that form bodies are parsed.
  app.addHook('preValidation', (req, reply, done) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return done();
    if (req.viewer?.via === 'token') return done();
    if (req.routeOptions.config && (req.routeOptions.config as { csrf?: boolean }).csrf === false) return done();
    app.csrfProtection(req, reply, done);
  });

  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : isBrokenUpload(err) ? 400 : 500;
    const isApi = req.url.startsWith('/api/');
    if (status >= 500) req.log.error({ err }, 'request failed');
    const code = (err as FastifyError).code;
    const isCsrf = code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET';
    const message =
      status >= 500
        ? 'Sorry, there is a problem with the service'
        : isCsrf
          ? 'This form has expired or was sent from another site. Go back, refresh the page and try again.'
          : isBrokenUpload(err)
            ? 'The upload was incomplete or not a valid form submission: go back and upload the file again'
            : err.message;
    if (isApi) {
      if (status === 401) reply.header('www-authenticate', 'Bearer');
      return reply
        .code(status)
        .send({ error: reply.statusCode >= 500 ? 'Internal Server Error' : statusText(status), message });
    }
    if (status === 401) {
      return reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`);
    }
    const template =
      status === 404
        ? 'errors/404.njk'
        : status === 403 && !isCsrf
          ? 'errors/403.njk'
          : status >= 500
            ? 'errors/500.njk'
            : 'errors/4xx.njk';
    return reply.render(
      template,
      { title: isCsrf ? 'This form has expired' : titleFor(status), message, status },
      status,
    );
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/'))
      return reply
        .code(404)
        .send({ error: 'Not Found', message: `No such endpoint: ${req.method} ${req.url.split('?')[0]}` });
    return reply.render('errors/404.njk', { title: 'Page not found' }, 404);
  });

  for (const feature of featureList) {
    if (feature.routes) await app.register(async (scope) => feature.routes!(scope, ctx));
    if (feature.api) await app.register(async (scope) => feature.api!(scope, ctx), { prefix: '/api/v1' });
  }
  return app as unknown as FastifyInstance;
}

/**
 * A request as the log shows it. A URL can carry secrets and personal data: a password reset link holds a
 * working credential in its path, and searches put names and email addresses in the query string. The log
 * keeps the path and the names of the query parameters, not their values.
 */
function requestForLog(req: FastifyRequest) {
  const [path, query] = req.url.split('?', 2) as [string, string | undefined];
  const keys = query === undefined ? [] : [...new Set([...new URLSearchParams(query).keys()])];
  return {
    method: req.method,
    url:
      path
        .replace(/^\/password-reset\/[^/]+/, '/password-reset/[redacted]')
        .replace(/^\/feedback\/respond\/[^/]+/, '/feedback/respond/[redacted]') +
      (keys.length ? `?${keys.map((k) => `${k}=[redacted]`).join('&')}` : ''),
    host: req.host,
    remoteAddress: req.ip,
  };
}

/** A string anywhere in a parsed body (form fields, JSON) holding U+0000. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v, depth + 1));
}

/**
 * A multipart body cut short or without a boundary: busboy raises these as plain errors with no status or
 * code. They are the sender's problem (a dropped connection, a hand-made request), not a fault of ours.
 */
function isBrokenUpload(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err as { code?: unknown }).code === undefined &&
    /^Multipart: Boundary not found$|unexpected end of multipart data$/i.test(err.message)
  );
}

function statusText(status: number): string {
  return (
    (
      {
        400: 'Bad Request',
        401: 'Unauthorized',
        403: 'Forbidden',
        404: 'Not Found',
        409: 'Conflict',
        413: 'Payload Too Large',
        415: 'Unsupported Media Type',
        422: 'Unprocessable Entity',
        429: 'Too Many Requests',
      } as Record<number, string>
    )[status] ?? 'Error'
  );
}

function titleFor(status: number): string {
  if (status === 403) return 'You do not have permission to see this page';
  if (status === 404) return 'Page not found';
  if (status === 429) return 'Too many attempts';
  if (status >= 500) return 'Sorry, there is a problem with the service';
  return 'There is a problem';
}
