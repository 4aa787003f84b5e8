import { sql } from 'kysely';
import type { ManagementLevel } from '../../db/schema.ts';
import type { SeedExtension } from '../seed/extension.ts';
import { managementLevels, requiredLookup } from './assessments.ts';
import { assessableVersions, DEFAULT_FRAMEWORK, versionModel } from './framework.ts';

// Synthetic self-assessments (docs/standards-assessment.md, "Synthetic data"): about 30% of the people in
// management posts of the seeded trusts have a submitted self-assessment against the current Leadwell management
// standards, for the level their band suggests; ratings sit around the required level (a third one step below,
// half at it, the rest one step above, kept on the scale). Half of them have up to two of their gaps in their
// development plan. Set-based INSERT … SELECT throughout: the randomness is a hash of the seed and the row, so a
// seed always gives the same data. About 12,000 assessments and 340,000 ratings at national scale.

const SHARE = 0.3;

const levelOfBand = sql`CASE WHEN a.band IN ('8a','8b') THEN 'middle' WHEN a.band IN ('8c','8d') THEN 'senior'
  WHEN a.band IN ('9','VSM') THEN 'executive' ELSE 'first_line' END`;

export const seedExtension: SeedExtension = {
  name: 'assessments',
  async run(deps, ctx) {
    const version = (await assessableVersions(deps.db)).find((v) => v.key === DEFAULT_FRAMEWORK);
    const model = version ? await versionModel(deps.db, version.versionId) : undefined;
    if (!version || !model) return 'skipped: the Leadwell management standards are not published';
    const byValue = new Map(model.content.levels.filter((l) => l.value !== null).map((l) => [l.value!, l.id]));
    const values = [...byValue.keys()].sort((a, b) => a - b);
    const required = new Map(managementLevels.map((l) => [l, requiredLookup(model.content, l)]));
    // One row per competency and management level: the competency, its title and the required value.
    const reqRows = model.content.competencies.flatMap((c) =>
      managementLevels.map(
        (l: ManagementLevel) =>
          sql`(${c.id}::int, ${c.title}::text, ${l}::text, ${required.get(l)!.get(c.id) ?? values[0]}::int)`,
      ),
    );
    const levelRows = values.map((v) => sql`(${v}::int, ${byValue.get(v)!}::int)`);
    const u = (expr: ReturnType<typeof sql>, slot: number) =>
      sql`(abs(hashint8extended((${expr}) * 64 + ${slot}, ${ctx.seed}::bigint)) % 1000000) / 1000000.0`;

    return deps.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('development_plan_items').where('synthetic', '=', true).execute();
      await trx.deleteFrom('self_assessments').where('synthetic', '=', true).execute();
      const made = await sql`
        INSERT INTO self_assessments (person_id, framework_version_id, management_level, level_source, band,
                                      started_at, updated_at, synthetic)
        SELECT m.person_id, ${version.versionId}::int, m.level, 'suggested', m.band, m.started, m.started, true
          FROM (SELECT DISTINCT ON (a.person_id) a.person_id, a.band, ${levelOfBand} AS level,
                       (${ctx.today}::date - (30 + floor(${u(sql`a.person_id`, 1)} * 330))::int)::timestamptz AS started
                  FROM assignments a
                 WHERE a.organisation_id = ANY(${ctx.organisationIds}::int[]) AND a.end_date IS NULL AND a.is_manager
                   AND ${u(sql`a.person_id`, 0)} < ${SHARE}
                   AND NOT EXISTS (SELECT 1 FROM self_assessments x WHERE x.person_id = a.person_id AND x.status = 'in_progress')
                 ORDER BY a.person_id, a.id) m`.execute(trx);
      const ratings = await sql`
        WITH req(competency_id, title, level, required) AS (VALUES ${sql.join(reqRows)}),
             lv(value, id) AS (VALUES ${sql.join(levelRows)})
        INSERT INTO self_assessment_ratings (assessment_id, version_id, competency_id, scale_level_id)
        SELECT sa.id, sa.framework_version_id, r.competency_id, lv.id
          FROM self_assessments sa
          JOIN req r ON r.level = sa.management_level
          CROSS JOIN LATERAL (SELECT ${u(sql`sa.person_id * 1000 + r.competency_id`, 2)} AS x) h
          JOIN lv ON lv.value = greatest(${values[0]}::int, least(${values[values.length - 1]}::int,
                     r.required + CASE WHEN h.x < 0.33 THEN -1 WHEN h.x < 0.83 THEN 0 ELSE 1 END))
         WHERE sa.synthetic AND sa.status = 'in_progress'`.execute(trx);
      await sql`
        UPDATE self_assessments sa
           SET status = 'submitted', submitted_at = sa.started_at + (floor(${u(sql`sa.person_id`, 3)} * 14)::int || ' days')::interval,
               updated_at = sa.started_at + (floor(${u(sql`sa.person_id`, 3)} * 14)::int || ' days')::interval
         WHERE sa.synthetic AND sa.status = 'in_progress'`.execute(trx);
      const items = await sql`
        WITH req(competency_id, title, level, required) AS (VALUES ${sql.join(reqRows)}),
             lv(value, id) AS (VALUES ${sql.join(levelRows)}),
             gaps AS (
               SELECT sa.id AS assessment_id, sa.person_id, sa.framework_version_id, r.competency_id, r.title,
                      sa.submitted_at,
                      row_number() OVER (PARTITION BY sa.id ORDER BY ${u(sql`sa.person_id * 1000 + r.competency_id`, 4)}) AS n
                 FROM self_assessments sa
                 JOIN self_assessment_ratings sr ON sr.assessment_id = sa.id
                 JOIN lv ON lv.id = sr.scale_level_id
                 JOIN req r ON r.level = sa.management_level AND r.competency_id = sr.competency_id
                WHERE sa.synthetic AND lv.value < r.required AND ${u(sql`sa.person_id`, 5)} < 0.5)
        INSERT INTO development_plan_items (person_id, framework_version_id, competency_id, title, status, due_on,
                                            support, source, source_id, created_at, updated_at, synthetic)
        SELECT g.person_id, g.framework_version_id, g.competency_id, 'Develop ' || lower(left(g.title, 1)) || substr(g.title, 2),
               (ARRAY['not_started','in_progress','in_progress','done'])[1 + floor(${u(sql`g.person_id * 10 + g.n`, 6)} * 4)::int],
               (g.submitted_at + interval '6 months')::date,
               (ARRAY['Coaching from line manager', 'Regional leadership programme', 'Shadowing a senior colleague', ''])
                 [1 + floor(${u(sql`g.person_id * 10 + g.n`, 7)} * 4)::int],
               'assessment', g.assessment_id::text, g.submitted_at, g.submitted_at, true
          FROM gaps g WHERE g.n <= 2`.execute(trx);
      return `${Number(made.numAffectedRows ?? 0)} submitted self-assessments (${Number(ratings.numAffectedRows ?? 0)} ratings), ${Number(items.numAffectedRows ?? 0)} plan items`;
    });
  },
};
