import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy } from '../../../test/factories.ts';
import { Client, testApp } from '../../../test/helpers.ts';
import { type Command, type CommandIO, UsageError } from '../../command.ts';
import { userCommands } from './commands.ts';

const ctx = await testApp({ env: { RATE_LIMIT_SIGNIN_PER_MINUTE: '1000' } });
const db = ctx.deps.db;
let stdin = '';
const commands = userCommands({ readStdin: async () => stdin });

async function run(name: string, values: Record<string, unknown>) {
  const command = commands.find((c) => c.name === name) as Command;
  const out: string[] = [];
  const io: CommandIO = { out: (l) => out.push(l), err: (l) => out.push(l), progress: () => {} };
  const code = await command.run(ctx.deps, { values, positionals: [] }, io);
  return { code, out };
}

async function usageError(name: string, values: Record<string, unknown>): Promise<string> {
  try {
    await run(name, values);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('expected a usage error');
}

describe('leadwell users create-admin', () => {
  it('creates a national admin with a generated password, printed once, that can sign in', async () => {
    const { code, out } = await run('users create-admin', { email: 'Chief.Admin@example.nhs.uk', name: 'Chief Admin' });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^Created national admin Chief\.Admin@example\.nhs\.uk/);
    const password = out[1].match(/^Password \(shown once, store it safely\): (\S+)$/)![1];
    expect(password.length).toBeGreaterThanOrEqual(24);

    const client = new Client(ctx.app);
    const res = await client.post('/sign-in', { email: 'chief.admin@example.nhs.uk', password });
    expect(res.statusCode).toBe(302);
    const page = await client.get('/account');
    expect(page.body).toContain('National admin');
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_label', 'action'])
      .where('action', '=', 'account.created')
      .execute();
    expect(audit).toEqual([{ actor_label: 'leadwell users create-admin', action: 'account.created' }]);
  });

  it('reads the password from stdin, checks it, and updates an existing account without duplicating the grant', async () => {
    stdin = 'short\n';
    expect(
      await usageError('users create-admin', { email: 'piped@example.nhs.uk', name: 'Piped', 'password-stdin': true }),
    ).toContain('Password must be 12 characters or more');
    stdin = 'piped password, long enough\n';
    const first = await run('users create-admin', {
      email: 'piped@example.nhs.uk',
      name: 'Piped',
      'password-stdin': true,
    });
    expect(first.out).toHaveLength(1);
    const client = new Client(ctx.app);
    expect(
      (await client.post('/sign-in', { email: 'piped@example.nhs.uk', password: 'piped password, long enough' }))
        .statusCode,
    ).toBe(302);

    stdin = 'a second piped password\n';
    const second = await run('users create-admin', {
      email: 'PIPED@example.nhs.uk',
      name: 'Piped Again',
      'password-stdin': true,
    });
    expect(second.out[0]).toMatch(/^Updated national admin/);
    const rows = await db
      .selectFrom('accounts as a')
      .innerJoin('role_grants as g', 'g.account_id', 'a.id')
      .select(['a.display_name', 'g.role'])
      .where('a.email', '=', 'piped@example.nhs.uk')
      .execute();
    expect(rows).toEqual([{ display_name: 'Piped Again', role: 'national_admin' }]);
  });

  it('explains bad input', async () => {
    expect(await usageError('users create-admin', { email: 'not-an-email', name: 'X' })).toContain(
      '--email must be an email address',
    );
    expect(await usageError('users create-admin', { email: 'a@example.nhs.uk' })).toContain('--name is required');
  });
});

describe('leadwell users grant and list', () => {
  it('grants scoped roles and refuses what does not make sense', async () => {
    const { icb, trust } = await makeHierarchy(db);
    const account = await makeAccount(db, { email: 'granted@example.nhs.uk', name: 'Granted Person' });
    const ok = await run('users grant', {
      email: 'granted@example.nhs.uk',
      role: 'org_admin',
      org: trust.code.toLowerCase(),
    });
    expect(ok.out).toEqual([`Granted org_admin for ${trust.code} to granted@example.nhs.uk.`]);
    const again = await run('users grant', { email: 'granted@example.nhs.uk', role: 'org_admin', org: trust.code });
    expect(again.out[0]).toContain('already had org_admin');
    await run('users grant', { email: 'granted@example.nhs.uk', role: 'icb_lead', org: icb.code });
    const grants = await db
      .selectFrom('role_grants')
      .select(['role', 'organisation_id'])
      .where('account_id', '=', account.id)
      .orderBy('id')
      .execute();
    expect(grants).toEqual([
      { role: 'org_admin', organisation_id: trust.id },
      { role: 'icb_lead', organisation_id: icb.id },
    ]);

    expect(
      await usageError('users grant', { email: 'granted@example.nhs.uk', role: 'wizard', org: trust.code }),
    ).toContain('--role must be one of');
    expect(await usageError('users grant', { email: 'granted@example.nhs.uk', role: 'org_admin' })).toContain(
      'needs --org',
    );
    expect(
      await usageError('users grant', { email: 'granted@example.nhs.uk', role: 'national_admin', org: trust.code }),
    ).toContain('leave out --org');
    expect(
      await usageError('users grant', { email: 'granted@example.nhs.uk', role: 'org_admin', org: 'NOPE1' }),
    ).toContain('no organisation with the ODS code NOPE1');
    expect(
      await usageError('users grant', { email: 'granted@example.nhs.uk', role: 'icb_lead', org: trust.code }),
    ).toContain('must be given for an organisation of kind icb');
    expect(
      await usageError('users grant', { email: 'nobody@example.nhs.uk', role: 'org_admin', org: trust.code }),
    ).toContain('no account with the email address nobody@example.nhs.uk');
  });

  it('lists accounts with status and roles', async () => {
    const { out } = await run('users list', {});
    expect(out[0]).toBe('Email\tName\tStatus\tRoles\tLast sign-in');
    const granted = out.find((l) => l.startsWith('granted@example.nhs.uk'))!;
    expect(granted).toContain('Organisation admin (');
    expect(granted).toContain('ICB lead (');
    expect(granted).toMatch(/\tnever$/);
    const chief = out.find((l) => l.startsWith('Chief.Admin@example.nhs.uk'))!;
    expect(chief).toContain('National admin');
    expect(chief).not.toMatch(/\tnever$/);
    expect(out.at(-1)).toMatch(/^\d+ accounts\.$/);
  });
});
