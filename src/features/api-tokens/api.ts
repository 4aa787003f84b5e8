import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { roleLabels, rolesOf } from '../../plugins/access.ts';
import { guard } from '../../web/http.ts';
import { ApiError } from '../audit/api.ts';
import { tokenSummary } from './queries.ts';

const Organisation = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() });

const Me = Type.Object({
  account: Type.Object({ id: Type.Integer(), display_name: Type.String(), email: Type.String() }),
  via: Type.Union([Type.Literal('token'), Type.Literal('session')], {
    description: 'How this call was authenticated',
  }),
  token: Type.Union([
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      prefix: Type.String(),
      created_at: Type.String({ format: 'date-time' }),
      expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
    Type.Null(),
  ]),
  roles: Type.Array(
    Type.Object({
      role: Type.String({ description: 'staff, line_manager, org_admin, icb_lead, regional_lead, national_admin…' }),
      label: Type.String(),
      organisation: Type.Union([Organisation, Type.Null()]),
    }),
    { description: 'What the caller may do with this token: the one role the token was created with' },
  ),
  organisations: Type.Array(Organisation, { description: 'Organisations the roles apply to' }),
});

/** GET /api/v1/me: who a token acts as, to check a token before using it. */
export function meApi(app: FastifyInstance, ctx: AppContext) {
  app.get(
    '/me',
    {
      schema: {
        summary: 'Who the token acts as',
        description: 'The account, the role and the organisations this token acts with. Any valid token may call it.',
        tags: ['account'],
        response: { 200: Me, 401: ApiError },
      },
    },
    async (req) => {
      const viewer = guard(req, { action: 'signed-in' });
      const token = viewer.tokenId !== undefined ? await tokenSummary(ctx.deps.db, viewer.tokenId) : undefined;
      const organisations = new Map<number, { id: number; code: string; name: string }>();
      const roles = rolesOf(viewer).flatMap((role) => {
        const grants = viewer.grants.filter((g) => g.role === role);
        if (grants.length === 0) return [{ role, label: roleLabels[role], organisation: null }];
        return grants.map((g) => {
          const org =
            g.organisationId !== null
              ? { id: g.organisationId, code: g.organisationCode ?? '', name: g.organisationName ?? '' }
              : null;
          if (org) organisations.set(org.id, org);
          return { role, label: roleLabels[role], organisation: org };
        });
      });
      return {
        account: { id: viewer.accountId, display_name: viewer.displayName, email: viewer.email },
        via: viewer.via,
        token: token
          ? {
              id: token.id,
              name: token.name,
              prefix: token.prefix,
              created_at: token.created_at.toISOString(),
              expires_at: token.expires_at?.toISOString() ?? null,
            }
          : null,
        roles,
        organisations: [...organisations.values()],
      };
    },
  );
}
