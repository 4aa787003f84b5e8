import { z } from 'zod';
import { type Command, UsageError } from '../../command.ts';
import type { GrantedRole } from '../../db/schema.ts';
import { roleLabels } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { findOrganisation } from '../organisations/queries.ts';
import { passwordProblem } from './accounts.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import { accountsPage, findAccountByEmail, grantRole, upsertNationalAdmin } from './queries.ts';

const grantedRoles = ['org_admin', 'icb_lead', 'regional_lead', 'national_admin', 'provider_admin'] as const;
// The organisation kind each scoped role must be given for (provider and org admins: any organisation).
const roleOrgKinds: Partial<Record<GrantedRole, string>> = { icb_lead: 'icb', regional_lead: 'region' };

const email = z.string({ error: '--email is required' }).trim().pipe(z.email('--email must be an email address'));

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(r.error.issues.map((i) => i.message).join('\n'));
  return r.data;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The `leadwell users …` commands. `readStdin` is how --password-stdin gets the password (a pipe in real use). */
export function userCommands(opts: { readStdin?: () => Promise<string> } = {}): Command[] {
  const readStdin = opts.readStdin ?? (() => readAll(process.stdin));
  return [
    {
      name: 'users create-admin',
      summary: 'Create or update a national admin account with a local password',
      usage: 'leadwell users create-admin --email E --name N [--password-stdin]',
      options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
      async run(deps, { values }, io) {
        const args = parse(
          z.object({
            email,
            name: z.string({ error: '--name is required' }).trim().min(1, '--name must not be empty').max(200),
          }),
          values,
        );
        let password: string;
        let generated = false;
        if (values['password-stdin']) {
          // One line from the pipe; the trailing newline of `echo` is not part of the password.
          password = (await readStdin()).replace(/\r?\n$/, '');
          const problem = passwordProblem(password, args.email);
          if (problem) throw new UsageError(`The password from stdin is not acceptable: ${problem}.`);
        } else {
          password = generatePassword();
          generated = true;
        }
        const result = await upsertNationalAdmin(deps.db, {
          email: args.email,
          name: args.name,
          passwordHash: await hashPassword(password),
        });
        await audit(
          deps.db,
          { label: 'leadwell users create-admin' },
          {
            action: result.created ? 'account.created' : 'account.updated',
            subjectType: 'account',
            subjectId: result.id,
            details: { email: args.email, role: 'national_admin' },
          },
        );
        io.out(`${result.created ? 'Created' : 'Updated'} national admin ${args.email} (account ${result.id}).`);
        if (generated) io.out(`Password (shown once, store it safely): ${password}`);
        return 0;
      },
    },
    {
      name: 'users grant',
      summary: 'Give an account a role, for an organisation (ODS code) unless the role is national_admin',
      usage: `leadwell users grant --email E --role ROLE [--org CODE]   (ROLE: ${grantedRoles.join(', ')})`,
      options: { email: { type: 'string' }, role: { type: 'string' }, org: { type: 'string' } },
      async run(deps, { values }, io) {
        const args = parse(
          z.object({
            email,
            role: z.enum(grantedRoles, { error: `--role must be one of: ${grantedRoles.join(', ')}` }),
            org: z.string().trim().toUpperCase().optional(),
          }),
          values,
        );
        if (args.role === 'national_admin' && args.org) {
          throw new UsageError('national_admin is not tied to an organisation: leave out --org.');
        }
        if (args.role !== 'national_admin' && !args.org) {
          throw new UsageError(`${args.role} needs --org with the organisation's ODS code.`);
        }
        const account = await findAccountByEmail(deps.db, args.email);
        if (!account) throw new UsageError(`There is no account with the email address ${args.email}.`);
        let orgId: number | null = null;
        if (args.org) {
          const org = await findOrganisation(deps.db, args.org);
          if (!org) throw new UsageError(`There is no organisation with the ODS code ${args.org}.`);
          const kind = roleOrgKinds[args.role];
          if (kind && org.kind !== kind) {
            throw new UsageError(
              `${args.role} must be given for an organisation of kind ${kind}; ${args.org} is a ${org.kind}.`,
            );
          }
          orgId = org.id;
        }
        const added = await grantRole(deps.db, { accountId: account.id, role: args.role, organisationId: orgId });
        await audit(
          deps.db,
          { label: 'leadwell users grant' },
          {
            action: 'account.role-granted',
            subjectType: 'account',
            subjectId: account.id,
            organisationId: orgId,
            details: { role: args.role, org: args.org ?? null, added },
          },
        );
        const where = args.org ? ` for ${args.org}` : '';
        io.out(
          added
            ? `Granted ${args.role}${where} to ${account.email}.`
            : `${account.email} already had ${args.role}${where}.`,
        );
        return 0;
      },
    },
    {
      name: 'users list',
      summary: 'List accounts with their status, roles and last sign-in',
      usage: 'leadwell users list',
      async run(deps, _args, io) {
        io.out(['Email', 'Name', 'Status', 'Roles', 'Last sign-in'].join('\t'));
        let after = 0;
        let total = 0;
        // Keyset pages, so a national-sized list streams without one huge query.
        for (;;) {
          const page = await accountsPage(deps.db, after, 500);
          for (const a of page) {
            const roles = a.grants.map((g) => (g.code ? `${roleLabels[g.role]} (${g.code})` : roleLabels[g.role]));
            io.out(
              [
                a.email,
                a.display_name,
                `${a.status}${a.is_demo ? ' (demo)' : ''}`,
                roles.join(', ') || '-',
                a.last_sign_in_at ? a.last_sign_in_at.toISOString() : 'never',
              ].join('\t'),
            );
          }
          total += page.length;
          if (page.length < 500) break;
          after = page[page.length - 1].id;
        }
        io.out(`${total} account${total === 1 ? '' : 's'}.`);
        return 0;
      },
    },
  ];
}

export const commands: Command[] = userCommands();
