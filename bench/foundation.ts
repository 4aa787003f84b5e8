import type { Deps } from '../src/deps.ts';
import { benchSession } from './session.ts';

/** Family names and given names typed into people search: common and rare, spread over the alphabet. */
export const searches = [
  'smith',
  'jones',
  'khan',
  'patel',
  'taylor',
  'brown',
  'wilson',
  'evans',
  'ali',
  'thomas',
  'roberts',
  'sarah',
  'mohammed',
  'oliver',
];

/** Sessions for the foundation's load steps: a national admin and the admin of the largest trust. */
export async function foundationSessions(deps: Deps): Promise<{ national: string; orgAdmin: string }> {
  const biggest = await deps.db
    .selectFrom('assignments')
    .select(['organisation_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('end_date', 'is', null)
    .groupBy('organisation_id')
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const national = await benchSession(deps, 'bench.national@leadwell.example', 'Bench national admin', {
    role: 'national_admin',
    orgId: null,
  });
  const orgAdmin = await benchSession(deps, 'bench.orgadmin@leadwell.example', 'Bench organisation admin', {
    role: 'org_admin',
    orgId: biggest.organisation_id,
  });
  return { national, orgAdmin };
}
