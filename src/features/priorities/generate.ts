import { sql } from 'kysely';
import type { SeedExtension } from '../seed/extension.ts';
import { refreshThicket } from './refresh.ts';

// Synthetic competing priorities for `leadwell seed`: national ones cascading to every organisation, regional and ICB
// ones, and each trust's own (some on the whole trust, most on some of its teams), about 40% unfunded, some ended,
// and a few pairs marked overlapping or conflicting. Set-based: a handful of INSERT … SELECT statements at any scale.
// Pseudo-random choices hash the seed with stable keys (codes, titles, team ids), so one seed gives the same data.

type T = [title: string, source: string, measure: string, owner: string];

const national: T[] = [
  [
    'Eliminate waits of over 65 weeks for elective care',
    'nhse_national',
    'No patient waiting over 65 weeks at month end',
    'Chief Operating Officer',
  ],
  [
    '78% of A&E patients seen within four hours',
    'nhse_national',
    'Monthly four-hour performance of at least 78%',
    'Chief Operating Officer',
  ],
  ['Cancer faster diagnosis standard at 80%', 'nhse_national', '80% told of diagnosis within 28 days', 'Cancer Lead'],
  ['Reduce agency spend by 30%', 'nhse_national', 'Agency spend against the 2024/25 baseline', 'Director of Finance'],
  ['Return to a balanced financial position', 'nhse_national', 'Break-even at year end', 'Director of Finance'],
  ['Reduce corporate running costs by 50%', 'dhsc', 'Corporate cost growth since 2018/19 halved', 'Chief Executive'],
  ['Increase productivity by 2% a year', 'nhse_national', 'Implied productivity growth', 'Chief Operating Officer'],
  ['Roll out the federated data platform', 'nhse_national', 'Live products in use', 'Chief Digital Officer'],
  ['Implement Martha’s Rule', 'nhse_national', 'Call for concern available on every adult ward', 'Chief Nurse'],
  ['Meet the well-led framework', 'cqc', 'Well-led rating of good or better', 'Chair'],
  [
    'Community diagnostic centres at full capacity',
    'nhse_national',
    'Tests delivered against plan',
    'Diagnostics Lead',
  ],
  [
    'Virtual ward capacity of 40 to 50 per 100,000',
    'nhse_national',
    'Virtual ward beds occupied',
    'Director of Integration',
  ],
  [
    'Mental health out-of-area placements to zero',
    'nhse_national',
    'Inappropriate out-of-area bed days',
    'Mental Health Director',
  ],
  [
    'Staff survey engagement improvement',
    'nhse_national',
    'Engagement score rising year on year',
    'Chief People Officer',
  ],
];
const regional: T[] = [
  [
    'Regional elective recovery trajectory',
    'nhse_region',
    'Weekly activity against plan',
    'Regional Director of Performance',
  ],
  ['Ambulance handovers within 45 minutes', 'nhse_region', 'No handover over 45 minutes', 'Director of Urgent Care'],
  ['Regional workforce plan delivery', 'nhse_region', 'Substantive staff in post against plan', 'Chief People Officer'],
];
const icb: T[] = [
  ['System winter plan', 'icb', 'Escalation days avoided', 'Director of Urgent Care'],
  ['Place-based neighbourhood teams', 'icb', 'Neighbourhood teams live', 'Director of Integration'],
  ['System financial recovery plan', 'icb', 'System deficit against plan', 'Director of Finance'],
  [
    'Reduce health inequalities: Core20PLUS5',
    'icb',
    'Gap in access for the most deprived quintile',
    'Medical Director',
  ],
  ['Shared care record adoption', 'icb', 'Clinicians using the shared record', 'Chief Digital Officer'],
];
const local: [...T, onTeams: boolean][] = [
  ['Board quality strategy', 'board', 'Strategy milestones met', 'Chief Nurse', false],
  ['Estates backlog maintenance', 'board', 'High-risk backlog cleared', 'Director of Estates', false],
  ['Electronic patient record go-live', 'board', 'Go-live without harm', 'Chief Digital Officer', false],
  ['CQC must-do actions', 'cqc', 'All must-do actions closed', 'Chief Nurse', true],
  ['Ward accreditation programme', 'board', 'Wards accredited silver or better', 'Deputy Chief Nurse', true],
  [
    'Discharge to assess with the council',
    'local_authority',
    'Delayed discharges under 10% of beds',
    'Director of Operations',
    true,
  ],
  ['Safeguarding training compliance at 95%', 'board', 'Training compliance', 'Safeguarding Lead', true],
  ['Sickness absence below 4%', 'board', 'Monthly sickness absence', 'Chief People Officer', true],
  ['Theatre utilisation at 85%', 'board', 'Capped theatre utilisation', 'Theatres Lead', true],
  ['Outpatient follow-up reduction', 'other', 'Follow-ups against 2019/20', 'Outpatients Lead', true],
  ['Falls reduction collaborative', 'board', 'Falls with harm per 1,000 bed days', 'Quality Improvement Lead', true],
  ['Vacancy control panel savings', 'board', 'Posts held vacant', 'Director of Finance', true],
];

const values = (rows: T[]) => sql.join(rows.map((r, i) => sql`(${i}, ${r[0]}, ${r[1]}, ${r[2]}, ${r[3]})`));

export const seedExtension: SeedExtension = {
  name: 'priorities',
  async run(deps, ctx) {
    const { db } = deps;
    const seed = String(ctx.seed);
    // A stable 0..99 999 999 from a key.
    const h = (key: ReturnType<typeof sql>) =>
      sql`(('x' || substr(md5(${seed} || ':' || ${key}), 1, 7))::bit(28)::int)`;
    const today = ctx.today;
    // Dates and funding from the hash of the new row's key: set 2 months to 3 years ago, about 40% unfunded,
    // about one in six ended (met or dropped) a while after being set.
    const fields = (key: ReturnType<typeof sql>) => sql`
      ${today}::date - (60 + ${h(key)} % 1000)::int AS set_on,
      ${h(sql`${key} || ':f'`)} % 100 >= 40 AS funded,
      ${h(sql`${key} || ':s'`)} % 6 = 0 AS ended`;
    await db.transaction().execute(async (trx) => {
      await sql`DELETE FROM priority_links WHERE synthetic`.execute(trx);
      await sql`DELETE FROM priorities WHERE synthetic`.execute(trx);
      const insert = (source: ReturnType<typeof sql>) => sql`
        INSERT INTO priorities (title, source, set_on, measure, target_date, funded, funding_amount, owner, scope,
                                scope_org_id, targeted, status, ended_on, synthetic)
        SELECT g.title, g.source, g.set_on, g.measure, g.set_on + 365, g.funded,
               CASE WHEN g.funded AND g.amount % 3 > 0 THEN (g.amount % 4000 + 50) * 1000 END, g.owner, g.scope,
               g.scope_org_id, g.targeted,
               CASE WHEN NOT g.ended THEN 'active' WHEN g.amount % 2 = 0 THEN 'met' ELSE 'dropped' END,
               CASE WHEN g.ended THEN least(${today}::date, g.set_on + 30 + g.amount % 300) END, true
          FROM (${source}) g`;
      const trusts = sql`SELECT id, code, icb_id, region_id FROM organisations WHERE id = ANY(${ctx.organisationIds}::int[])`;
      await insert(sql`
        SELECT v.title, v.source, v.measure, v.owner, 'national' AS scope, NULL::int AS scope_org_id, false AS targeted,
               ${h(sql`v.title`)} AS amount, ${fields(sql`v.title`)}
          FROM (VALUES ${values(national)}) AS v(n, title, source, measure, owner)`).execute(trx);
      await insert(sql`
        SELECT v.title, v.source, v.measure, v.owner, 'region' AS scope, a.id AS scope_org_id, false AS targeted,
               ${h(sql`a.code || v.title`)} AS amount,
               ${fields(sql`a.code || v.title`)}
          FROM organisations a JOIN (VALUES ${values(regional)}) AS v(n, title, source, measure, owner) ON true
         WHERE a.id IN (SELECT region_id FROM (${trusts}) t)`).execute(trx);
      await insert(sql`
        SELECT v.title, v.source, v.measure, v.owner, 'icb' AS scope, a.id AS scope_org_id, false AS targeted,
               ${h(sql`a.code || v.title`)} AS amount,
               ${fields(sql`a.code || v.title`)}
          FROM organisations a JOIN (VALUES ${values(icb)}) AS v(n, title, source, measure, owner) ON true
         WHERE a.id IN (SELECT icb_id FROM (${trusts}) t) AND ${h(sql`a.code || v.title || ':pick'`)} % 5 < 4`).execute(
        trx,
      );
      await insert(sql`
        SELECT v.title, v.source, v.measure, v.owner, 'organisation' AS scope, t.id AS scope_org_id, v.on_teams AS targeted,
               ${h(sql`t.code || v.title`)} AS amount,
               ${fields(sql`t.code || v.title`)}
          FROM (${trusts}) t
          JOIN (VALUES ${sql.join(local.map((r, i) => sql`(${i}, ${r[0]}, ${r[1]}, ${r[2]}, ${r[3]}, ${r[4]}::boolean)`))})
               AS v(n, title, source, measure, owner, on_teams) ON true
         WHERE ${h(sql`t.code || v.title || ':pick'`)} % 6 < 5`).execute(trx);
      // Team-placed priorities go on about 8% of the trust's open teams, and always on at least one.
      await sql`
        INSERT INTO priority_targets (priority_id, organisation_id, team_id)
        SELECT id, org, team FROM (
          SELECT p.id, p.scope_org_id AS org, tm.id AS team, ${h(sql`p.title || ':' || tm.id`)} AS k,
                 row_number() OVER (PARTITION BY p.id ORDER BY ${h(sql`p.title || ':' || tm.id`)}) AS rank
            FROM priorities p JOIN teams tm ON tm.organisation_id = p.scope_org_id AND tm.closed_on IS NULL
           WHERE p.synthetic AND p.targeted
        ) c WHERE k % 100 < 8 OR rank = 1`.execute(trx);
      // A few pairs of each trust's own priorities marked by its people; one in five as conflicting.
      await sql`
        INSERT INTO priority_links (organisation_id, priority_a, priority_b, kind, note, synthetic)
        SELECT a.scope_org_id, a.id, b.id,
               CASE WHEN ${h(sql`a.title || b.title || ':k'`)} % 5 = 0 THEN 'conflict' ELSE 'overlap' END,
               'Marked in the synthetic data', true
          FROM priorities a JOIN priorities b ON b.scope_org_id = a.scope_org_id AND b.scope = 'organisation' AND a.id < b.id
         WHERE a.synthetic AND b.synthetic AND a.scope = 'organisation'
           AND ${h(sql`a.title || '|' || b.title || ':' || a.scope_org_id`)} % 100 < 6`.execute(trx);
    });
    const counts = await sql<{ priorities: number; targets: number; links: number }>`
      SELECT (SELECT count(*)::int FROM priorities WHERE synthetic) AS priorities,
             (SELECT count(*)::int FROM priority_targets t JOIN priorities p ON p.id = t.priority_id WHERE p.synthetic) AS targets,
             (SELECT count(*)::int FROM priority_links WHERE synthetic) AS links`.execute(db);
    const r = await refreshThicket(db, today);
    const c = counts.rows[0]!;
    return `${c.priorities} priorities on ${c.targets} targets, ${c.links} marked pairs; thicket of ${r.teams} teams`;
  },
};
