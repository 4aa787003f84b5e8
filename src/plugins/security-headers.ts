import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyReply {
    /** This response's Content-Security-Policy nonce, for the page's script tags. */
    cspNonce: { script: string };
  }
}

const PLACEHOLDER = 'leadwell-csp-nonce';

/**
 * The security headers of a helmet configuration, worked out once: helmet runs at start-up against a response
 * that records what it sets, with a placeholder where each response's script nonce goes. (The fastify wrapper
 * for helmet built and ran helmet's whole middleware, parsing every CSP directive, on every request.)
 */
export function recordHeaders(options: HelmetOptions): { name: string; value: string }[] {
  const csp = typeof options.contentSecurityPolicy === 'object' ? options.contentSecurityPolicy : {};
  const directives = { ...csp.directives };
  const scriptSrc = directives.scriptSrc ?? directives['script-src'] ?? ["'self'"];
  delete directives['script-src'];
  directives.scriptSrc = [...(scriptSrc as string[]), `'nonce-${PLACEHOLDER}'`];
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let done = false;
  helmet({ ...options, contentSecurityPolicy: { ...csp, directives } })({} as never, recorder as never, () => {
    done = true;
  });
  if (!done) throw new Error('helmet did not finish setting headers synchronously');
  return [...headers].map(([name, value]) => ({ name, value }));
}

/** Strict security headers on every response, with a fresh nonce for the page's scripts each time. */
async function securityHeaders(app: FastifyInstance, opts: { helmet: HelmetOptions }) {
  const headers = recordHeaders(opts.helmet);
  const csp = headers.find((h) => h.value.includes(PLACEHOLDER));
  if (!csp) throw new Error('the Content-Security-Policy has no script nonce');
  const [before, after] = csp.value.split(`'nonce-${PLACEHOLDER}'`);
  const fixed = headers.filter((h) => h !== csp);
  app.decorateReply('cspNonce', null as never);
  app.addHook('onRequest', (_req, reply, done) => {
    const nonce = randomBytes(16).toString('hex');
    reply.cspNonce = { script: nonce };
    for (const h of fixed) reply.header(h.name, h.value);
    reply.header(csp.name, `${before}'nonce-${nonce}'${after}`);
    done();
  });
}

export default fp(securityHeaders, { name: 'leadwell-security-headers' });
