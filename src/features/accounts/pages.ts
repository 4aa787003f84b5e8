import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { type Role, roleLabels } from '../../plugins/access.ts';
import { HttpError } from '../../web/http.ts';
import type { FieldError } from '../../web/render.ts';
import type { Oidc } from './oidc.ts';
import { demoPersonas } from './queries.ts';

/** Per-IP limit for the forms that guess or spend secrets (sign-in, password reset), with a readable 429 page. */
export function authRateLimit(perMinute: number) {
  return {
    rateLimit: {
      max: perMinute,
      timeWindow: 60_000,
      errorResponseBuilder: (_req: unknown, context: { after: string }) =>
        new HttpError(
          429,
          `There have been too many attempts from your network. Wait ${context.after} and try again. ` +
            'If you have forgotten your password, you can reset it.',
        ),
    },
  };
}

// Messages shown after a redirect, chosen by a fixed key so no text from the address bar reaches the page.
const flashes: Record<string, string> = {
  'signed-out': 'You have signed out.',
  'signed-out-everywhere': 'You have signed out on every device. Sign in again to continue.',
  'password-reset':
    'Your password has been changed and you have been signed out everywhere. Sign in with your new password.',
  'password-changed':
    'Your password has been changed. Any other devices where you were signed in have been signed out.',
  'reset-sent':
    'If there is a Leadwell account for that email address, we have sent it a link to reset the password. The link works once and expires in 1 hour.',
};

export function flashFor(key: unknown): string | undefined {
  return typeof key === 'string' ? flashes[key] : undefined;
}

export interface SignInView {
  next: string;
  email?: unknown;
  flash?: string;
  errors?: FieldError[];
  fields?: Record<string, { text: string }>;
}

/** Role labels of a demo persona, with the organisation each applies to. */
function personaRoles(p: Awaited<ReturnType<typeof demoPersonas>>[number]): string[] {
  const labels: string[] = [];
  if (p.person_id !== null) {
    labels.push(p.organisation_name ? `${roleLabels.staff}, ${p.organisation_name}` : roleLabels.staff);
  }
  if (p.manages) labels.push(roleLabels.line_manager);
  for (const g of p.grants) {
    const label = roleLabels[g.role as Role];
    labels.push(g.organisation_name ? `${label}, ${g.organisation_name}` : label);
  }
  return labels;
}

export async function renderSignIn(
  reply: FastifyReply,
  ctx: AppContext,
  oidc: Oidc | undefined,
  view: SignInView,
  status = 200,
) {
  const personas = ctx.demoMode
    ? (await demoPersonas(ctx.deps.db)).map((p) => ({ id: p.id, name: p.display_name, roles: personaRoles(p) }))
    : [];
  return reply.render(
    'features/accounts/views/sign-in.njk',
    {
      title: 'Sign in',
      next: view.next,
      email: typeof view.email === 'string' ? view.email : '',
      flash: view.flash,
      errors: view.errors,
      fields: view.fields ?? {},
      oidc: oidc ? { label: oidc.label } : undefined,
      personas,
    },
    status,
  );
}
