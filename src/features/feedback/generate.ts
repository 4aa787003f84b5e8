import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { SeedContext, SeedExtension } from '../seed/extension.ts';
import { publishedVersion } from './testing.ts';

// Synthetic 360 rounds for the data generator: completed, released rounds for about 5% of the seeded managers who
// have a line manager, against the Healthcare Leadership Model, with rater groups of varied sizes (some peer and
// direct-report groups of 1 or 2, below the anonymity threshold, so reports show hidden groups too). Everything is
// set-based SQL keyed on hashes of the seed, so a seed always gives the same rounds, at any scale.
//
// The managers are chosen from the staff the seed has just written (assignments, people), read here in bulk the
// way the seed itself writes them; raters other than the person and their line manager are invented addresses.

const SHARE_PERCENT = 5;

const strengths = [
  'Makes time for the team even when the service is under pressure.',
  'Explains the reasons behind decisions clearly.',
  'Calm and fair when things go wrong.',
  'Gives credit to others and follows up on ideas.',
  'Knows the data for the service and uses it well.',
  'Builds good links with partner organisations.',
];
const development = [
  'Could delegate more and step back from detail.',
  'Sometimes agrees to too much; could say no more often.',
  'Could share plans earlier with the wider team.',
  'Meetings could be shorter and more focused.',
  'Could ask for feedback more often.',
  'Could give more recognition in public.',
];

export async function generateFeedback(deps: Pick<Deps, 'db'>, ctx: SeedContext): Promise<string> {
  const { db } = deps;
  let version: Awaited<ReturnType<typeof publishedVersion>>;
  try {
    version = await publishedVersion(db);
  } catch {
    return 'skipped: the Healthcare Leadership Model is not loaded';
  }
  const seed = String(ctx.seed);
  const h = (expr: ReturnType<typeof sql>) => sql`abs(hashtext(${seed} || ':' || ${expr}))`;
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('feedback_rounds').where('synthetic', '=', true).execute();
    const rounds = await sql<{ id: number }>`
      INSERT INTO feedback_rounds (person_id, framework_version_id, closes_on, status, closed_at, released_at,
                                   shared_at, created_at, synthetic)
      SELECT a.person_id, ${version.id}::int, d.closes_on, 'closed', d.closes_on + 1, d.closes_on + 1,
             CASE WHEN ${h(sql`'share' || a.person_id`)} % 2 = 0 THEN d.closes_on + 2 END,
             d.closes_on - 21, true
        FROM (SELECT DISTINCT ON (a.person_id) a.person_id
                FROM assignments a
               WHERE a.organisation_id = ANY(${ctx.organisationIds}::int[])
                 AND a.end_date IS NULL AND a.is_manager AND a.line_manager_assignment_id IS NOT NULL
               ORDER BY a.person_id, a.id) a
        CROSS JOIN LATERAL (SELECT ${ctx.today}::date - (30 + ${h(sql`'close' || a.person_id`)} % 300)::int AS closes_on) d
       WHERE ${h(sql`'pick' || a.person_id`)} % 100 < ${SHARE_PERCENT}
      RETURNING id`.execute(trx);
    if (rounds.rows.length === 0) return 'no 360 rounds (no managers with a line manager in the seeded trusts)';

    // Self and line manager: one each. Peers 1–6, direct reports 0–5, others 0–4: some groups below 3.
    await sql`
      INSERT INTO feedback_raters (round_id, rater_group, person_id, email, name, submitted_at, saved_at, strengths, development)
      SELECT r.id, g.grp, g.person_id, g.email, g.name, r.closes_on - 3, r.closes_on - 3,
             (${sql.val(strengths)}::text[])[1 + ${h(sql`'s' || r.id || g.grp || g.i`)} % ${strengths.length}],
             (${sql.val(development)}::text[])[1 + ${h(sql`'d' || r.id || g.grp || g.i`)} % ${development.length}]
        FROM feedback_rounds r
        CROSS JOIN LATERAL (
          SELECT 'self' AS grp, r.person_id AS person_id, NULL::text AS email, 'Self' AS name, 1 AS i
          UNION ALL
          (SELECT 'line_manager', m.person_id, NULL, 'Line manager', 1
             FROM assignments a JOIN assignments m ON m.id = a.line_manager_assignment_id
            WHERE a.person_id = r.person_id AND a.end_date IS NULL AND m.person_id <> r.person_id
            ORDER BY a.id LIMIT 1)
          UNION ALL
          SELECT x.grp, NULL, 'rater-' || r.id || '-' || x.grp || '-' || s.i || '@synthetic.invalid', 'Synthetic rater', s.i
            FROM (VALUES ('peer', 1 + ${h(sql`'np' || r.id`)} % 6),
                         ('direct_report', ${h(sql`'nd' || r.id`)} % 6),
                         ('other', ${h(sql`'no' || r.id`)} % 5)) x(grp, n)
            CROSS JOIN LATERAL generate_series(1, x.n) s(i)
        ) g
       WHERE r.synthetic`.execute(trx);

    // A rating per rater and competency: a level around the round's own level for the competency, self a bit higher.
    const ratings = await sql`
      INSERT INTO feedback_ratings (rater_id, competency_id, scale_level_id, value)
      SELECT fr.id, c.id, l.id, l.value
        FROM feedback_raters fr
        JOIN feedback_rounds r ON r.id = fr.round_id
        JOIN framework_competencies c ON c.version_id = r.framework_version_id
        CROSS JOIN LATERAL (
          SELECT least(greatest(
                   1 + ${h(sql`'base' || r.id || ':' || c.id`)} % 3
                   + (${h(sql`'noise' || fr.id || ':' || c.id`)} % 3) - 1
                   + CASE WHEN fr.rater_group = 'self' THEN 1 ELSE 0 END,
                 1), 4) AS pos
        ) p
        JOIN LATERAL (
          SELECT sl.id, sl.value FROM framework_scale_levels sl
           WHERE sl.version_id = r.framework_version_id AND sl.value IS NOT NULL
           ORDER BY sl.position OFFSET p.pos - 1 LIMIT 1
        ) l ON true
       WHERE r.synthetic`.execute(trx);
    return `${rounds.rows.length} completed 360 rounds with ${Number(ratings.numAffectedRows ?? 0)} ratings`;
  });
}

export const seedExtension: SeedExtension = {
  name: 'feedback',
  run: (deps, ctx) => generateFeedback(deps, ctx),
};
