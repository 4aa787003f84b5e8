import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../../test/factories.ts';
import { testDeps } from '../../../test/helpers.ts';
import { jobs } from './jobs.ts';

describe('accounts.sweep', () => {
  it('removes expired and idle sessions and keeps live ones', async () => {
    const deps = await testDeps({ SESSION_IDLE_MINUTES: '30' });
    const account = await makeAccount(deps.db, {});
    const now = Date.now();
    const at = (minutes: number) => new Date(now + minutes * 60_000);
    await deps.db
      .insertInto('sessions')
      .values([
        { id: 'live', account_id: account.id, data: '{}', last_seen_at: at(-5), expires_at: at(600) },
        { id: 'idle', account_id: account.id, data: '{}', last_seen_at: at(-31), expires_at: at(600) },
        { id: 'expired', account_id: account.id, data: '{}', last_seen_at: at(-1), expires_at: at(-1) },
      ])
      .execute();
    const sweep = jobs.find((j) => j.name === 'accounts.sweep')!;
    expect(await sweep.run(deps, {})).toMatch(/^removed 2 sessions/);
    const left = await deps.db.selectFrom('sessions').select('id').where('account_id', '=', account.id).execute();
    expect(left.map((r) => r.id)).toEqual(['live']);
  });
});
