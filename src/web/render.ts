import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authorise, type Permission, type Viewer } from '../plugins/access.ts';
import type { Nunjucks } from './nunjucks.ts';

export interface FieldError {
  text: string;
  href: string;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Render a nunjucks view inside the NHS layout, with the viewer, navigation, CSRF token and CSP nonce. */
    render(template: string, context?: Record<string, unknown>, status?: number): FastifyReply;
    /**
     * Render a view on its own, as HTML to place in a page: only `context` reaches it (no viewer, CSRF token or
     * nonce), so what it renders may be kept and shown to others. Pages place it with `{{ body | safe }}`.
     */
    renderFragment(template: string, context: Record<string, unknown>): string;
  }
}

interface NavItem {
  href: string;
  text: string;
  permission: Permission;
}

// The navigation for the signed-in role: an item appears only if the viewer may open it.
const navigation: NavItem[] = [
  { href: '/', text: 'Home', permission: { action: 'signed-in' } },
  { href: '/organisations', text: 'Organisations', permission: { action: 'organisations:browse' } },
  { href: '/people', text: 'People', permission: { action: 'people:search' } },
  { href: '/me/development', text: 'Development', permission: { action: 'development:own' } },
  { href: '/frameworks', text: 'Frameworks', permission: { action: 'frameworks:read' } },
  { href: '/burden', text: 'Reporting', permission: { action: 'burden:view' } },
  { href: '/catalogue', text: 'Training', permission: { action: 'signed-in' } },
  { href: '/admin/audit', text: 'Audit log', permission: { action: 'audit:read' } },
  { href: '/admin/outbox', text: 'Mail outbox', permission: { action: 'outbox:read' } },
];

export function navFor(viewer: Viewer | null, currentPath: string, demoMode: boolean) {
  if (!viewer) return [];
  return navigation
    .filter((n) => authorise(viewer, n.permission, { demoMode }))
    .map((n) => ({
      href: n.href,
      text: n.text,
      current: n.href === '/' ? currentPath === '/' : currentPath.startsWith(n.href),
    }));
}

async function renderPlugin(app: FastifyInstance, opts: { nunjucks: Nunjucks; demoMode: () => boolean }) {
  app.decorateReply('render', function (this: FastifyReply, template: string, context = {}, status = 200) {
    const req: FastifyRequest = this.request;
    const demoMode = opts.demoMode();
    const path = req.url.split('?')[0];
    // The CSRF token (and its cookie) is made only when the page prints it: in a form, or the header's sign-out
    // button. A public page without a form then sets no cookie and spends no random bytes or HMAC on one.
    let token: string | undefined;
    const csrfToken = { toString: () => (token ??= this.generateCsrf()) };
    const html = opts.nunjucks.render(template, {
      viewer: req.viewer,
      nav: navFor(req.viewer, path, demoMode),
      demoMode,
      cspNonce: this.cspNonce?.script,
      csrfToken,
      currentPath: path,
      ...context,
    });
    return this.code(status).type('text/html; charset=utf-8').send(html);
  });
  app.decorateReply('renderFragment', (template: string, context: Record<string, unknown>) =>
    opts.nunjucks.render(template, context),
  );
}

export default fp(renderPlugin, { name: 'leadwell-render', dependencies: ['leadwell-session'] });
