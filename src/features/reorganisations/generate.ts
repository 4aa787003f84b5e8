import { sql } from 'kysely';
import type { SeedExtension } from '../seed/extension.ts';
import { refreshReorganisations } from './queries.ts';

// Synthetic reorganisations for `leadwell seed`, over the six years before the seed's today: about one trust-wide
// restructure per trust every four years, and about one team in seven restructured once, a third of those again
// one to five years later (so some are flagged as within three years and some not). Reviews are a year on; older
// ones mostly have an outcome. No recorder, so the review reminder never mails anyone about synthetic rows.
// Set-based; pseudo-random choices hash the seed with stable keys (codes and team ids).

const rationales = [
  'Align services to the new clinical strategy',
  'Merge duplicated management layers',
  'Respond to a CQC finding on leadership',
  'Move to integrated neighbourhood teams with the ICB',
  'Meet the corporate cost reduction target',
];
const benefits = [
  'Clearer accountability and fewer handoffs',
  'Savings on management costs',
  'Shorter waits through pooled capacity',
  'Better recruitment and retention',
];

export const seedExtension: SeedExtension = {
  name: 'reorganisations',
  async run(deps, ctx) {
    const { db } = deps;
    const seed = String(ctx.seed);
    const h = (key: ReturnType<typeof sql>) =>
      sql`(('x' || substr(md5(${seed} || ':' || ${key}), 1, 7))::bit(28)::int)`;
    const today = sql`${ctx.today}::date`;
    const pick = (list: string[], key: ReturnType<typeof sql>) =>
      sql`(${list}::text[])[1 + ${h(key)} % ${list.length}]`;
    await db.transaction().execute(async (trx) => {
      await sql`DELETE FROM reorganisations WHERE synthetic`.execute(trx);
      const insert = (source: ReturnType<typeof sql>) => sql`
        INSERT INTO reorganisations (organisation_id, team_id, unit_name, effective_on, staff_affected, rationale, cost,
                                     expected_benefits, review_on, outcome, outcome_on, synthetic)
        SELECT g.org, g.team, g.unit_name, g.day, g.staff, g.rationale,
               CASE WHEN g.k % 10 < 3 THEN NULL ELSE g.staff * (1500 + g.k % 3000) END, g.benefit,
               g.day + 365,
               CASE WHEN g.day + 365 < ${today} - 30 AND g.k % 10 < 6 THEN 'Partly achieved: see the board paper' END,
               CASE WHEN g.day + 365 < ${today} - 30 AND g.k % 10 < 6 THEN g.day + 400 END, true
          FROM (${source}) g WHERE g.day <= ${today}`;
      // Trust-wide: one chance in four each year.
      await insert(sql`
        SELECT o.id AS org, NULL::int AS team, o.name AS unit_name, ${today} - (y * 365 + ${h(sql`o.code || y`)} % 365) AS day,
               100 + ${h(sql`o.code || y || ':s'`)} % 900 AS staff, ${pick(rationales, sql`o.code || y || ':r'`)} AS rationale,
               ${pick(benefits, sql`o.code || y || ':b'`)} AS benefit, ${h(sql`o.code || y || ':k'`)} AS k
          FROM organisations o CROSS JOIN generate_series(0, 5) AS y
         WHERE o.id = ANY(${ctx.organisationIds}::int[]) AND ${h(sql`o.code || y || ':p'`)} % 4 = 0`).execute(trx);
      // Teams: the first restructure within the six years, and for a third of them a second one 1 to 5 years later.
      const first = sql`${today} - (${h(sql`t.id || ':d'`)} % 2190)`;
      await insert(sql`
        SELECT t.organisation_id AS org, t.id AS team, t.name AS unit_name, d.day,
               5 + ${h(sql`t.id || ':s' || d.n`)} % 40 AS staff, ${pick(rationales, sql`t.id || ':r' || d.n`)} AS rationale,
               ${pick(benefits, sql`t.id || ':b' || d.n`)} AS benefit, ${h(sql`t.id || ':k' || d.n`)} AS k
          FROM teams t
          CROSS JOIN LATERAL (VALUES (1, ${first}),
                                     (2, ${first} + 365 + ${h(sql`t.id || ':gap'`)} % 1460)) AS d(n, day)
         WHERE t.organisation_id = ANY(${ctx.organisationIds}::int[]) AND t.closed_on IS NULL
           AND ${h(sql`t.id || ':p'`)} % 7 = 0 AND (d.n = 1 OR ${h(sql`t.id || ':again'`)} % 3 = 0)`).execute(trx);
    });
    await refreshReorganisations(db);
    const n = await sql<{ n: number; teams: number }>`
      SELECT count(*)::int AS n, count(DISTINCT team_id)::int AS teams FROM reorganisations WHERE synthetic`.execute(
      db,
    );
    return `${n.rows[0]!.n} reorganisations (${n.rows[0]!.teams} teams) over six years`;
  },
};
