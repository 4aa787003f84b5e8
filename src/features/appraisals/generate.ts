import { sql } from 'kysely';
import { loadStarters } from '../frameworks/import.ts';
import type { SeedExtension } from '../seed/extension.ts';
import { templateFrameworkVersion } from './cycle-queries.ts';
import { refreshAppraisalSummaries } from './summary-queries.ts';
import { TEMPLATE } from './template.ts';

/**
 * Synthetic appraisals: this year's cycle (April to March) in every seeded trust, an appraisal for everyone in post,
 * in every state, with overall ratings that differ slightly by group (a little fewer top ratings for BME and for
 * disabled staff, so the equality lens has something to show). All set-based: one INSERT … SELECT per table, with
 * a deterministic draw per person (md5 of the person and the seed). Full content (objectives, ratings per domain,
 * conversations) at demo scale only; at region and national scale the content is left empty to keep the table
 * small (1.35M appraisals), while states, dates, signatures and ratings are complete.
 */

/** A number 0–999 drawn from the person and the seed; `salt` gives independent draws. */
const draw = (seed: number, salt: string) =>
  sql`((('x' || substr(md5(a.person_id::text || ':' || ${String(seed)}::text || ':' || ${salt}::text), 1, 7))::bit(28)::int) % 1000)`;

const demoContent = sql`jsonb_build_object(
  'objectives', jsonb_build_array(
    jsonb_build_object('title', 'Improve the team''s rota fill rate', 'specific', 'Fill shifts with substantive staff first',
      'measurable', 'Bank and agency shifts a month', 'achievable', 'With the new e-rostering rules',
      'relevant', 'The trust''s workforce plan', 'timeBound', 'By the end of March', 'edi', false),
    jsonb_build_object('title', 'Inclusive recruitment', 'specific', 'Diverse panels for every interview I chair',
      'measurable', 'Share of panels with a member from an under-represented group', 'achievable', 'Panel training booked',
      'relevant', 'The trust''s WRES action plan', 'timeBound', 'By the end of September', 'edi', true)),
  'behaviours', (SELECT jsonb_object_agg(d.code, jsonb_build_object('value', 2 + (a.person_id + d.position) % 2,
                   'comment', 'Discussed with examples from the year'))
                   FROM framework_domains d WHERE d.version_id = c.framework_version_id),
  'reflection', 'A demanding year; proud of how the team adapted.',
  'wellbeing', 'Talked about workload and taking leave regularly.',
  'career', 'Interested in a broader leadership role in two years.',
  'plan', jsonb_build_array('Join a leadership programme', 'Shadow a senior manager'))`;

export const seedExtension: SeedExtension = {
  name: 'appraisals',
  async run(deps, ctx) {
    const { db } = deps;
    if ((await templateFrameworkVersion(db)) === undefined) await loadStarters(db);
    const version = (await templateFrameworkVersion(db))!;
    const year = Number(ctx.today.slice(0, 4)) - (Number(ctx.today.slice(5, 7)) < 4 ? 1 : 0);
    const starts = `${year}-04-01`;
    const counts = await db.transaction().execute(async (trx) => {
      await sql`DELETE FROM appraisal_addenda WHERE synthetic`.execute(trx);
      await sql`DELETE FROM appraisal_checkins WHERE synthetic`.execute(trx);
      await sql`DELETE FROM appraisals WHERE synthetic`.execute(trx);
      await sql`DELETE FROM appraisal_cycles WHERE synthetic`.execute(trx);
      // A trust that already runs a real cycle this year keeps it; the synthetic one would overlap it.
      await sql`
        INSERT INTO appraisal_cycles (organisation_id, name, starts_on, mid_year_on, due_on, ends_on, template_key,
                                      template_version, framework_version_id, synthetic)
        SELECT o, ${`Appraisals ${year} to ${year + 1}`}, ${starts}::date, ${`${year}-10-01`}::date,
               ${`${year}-09-30`}::date, ${`${year + 1}-03-31`}::date, ${TEMPLATE.key}, ${TEMPLATE.version}::int,
               ${version}::int, true
          FROM unnest(${ctx.organisationIds}::int[]) AS o
         WHERE NOT EXISTS (SELECT 1 FROM appraisal_cycles c WHERE c.organisation_id = o
                             AND c.starts_on <= ${`${year + 1}-03-31`}::date AND c.ends_on >= ${starts}::date)
      `.execute(trx);
      const status = draw(ctx.seed, 'status');
      const rating = draw(ctx.seed, 'rating');
      const full = ctx.scale === 'demo';
      const inserted = await sql`
        INSERT INTO appraisals (cycle_id, organisation_id, person_id, assignment_id, appraiser_person_id, template_key,
                                template_version, framework_version_id, status, content, overall_rating, meeting_on,
                                due_on, appraisee_signed_at, appraiser_signed_at, locked_at, synthetic)
        SELECT x.cycle_id, x.organisation_id, x.person_id, x.assignment_id, x.appraiser, ${TEMPLATE.key},
               ${TEMPLATE.version}::int, x.framework_version_id, x.status, x.content,
               CASE WHEN x.status = 'locked' OR x.status = 'recorded' THEN
                 CASE WHEN x.r2 < 100 * x.factor THEN 'exceptional' WHEN x.r2 < 700 THEN 'strong'
                      WHEN x.r2 < 950 THEN 'developing' ELSE 'not_yet_meeting' END END,
               CASE WHEN x.status IN ('meeting_held', 'recorded', 'locked') THEN x.meeting_on END,
               x.due_on,
               CASE WHEN x.status = 'locked' OR (x.status = 'recorded' AND x.r1 % 2 = 0) THEN x.meeting_on + 3 END,
               CASE WHEN x.status = 'locked' THEN x.meeting_on + 5 END,
               CASE WHEN x.status = 'locked' THEN x.meeting_on + 5 END,
               true
          FROM (
            SELECT DISTINCT ON (a.person_id)
                   c.id AS cycle_id, c.organisation_id, a.person_id, a.id AS assignment_id, c.framework_version_id,
                   c.due_on,
                   CASE WHEN lm.end_date IS NULL THEN lm.person_id END AS appraiser,
                   ${status} AS r1, ${rating} AS r2,
                   -- Someone without a line manager has no appraiser to sign: theirs stays recorded.
                   CASE WHEN ${status} < 700 AND lm.end_date IS NULL AND lm.person_id IS NOT NULL THEN 'locked'
                        WHEN ${status} < 750 THEN 'recorded'
                        WHEN ${status} < 800 THEN 'meeting_held' WHEN ${status} < 900 THEN 'preparing'
                        ELSE 'not_started' END AS status,
                   LEAST(c.starts_on + 60 + ${status} % 150, ${ctx.today}::date - 7) AS meeting_on,
                   (CASE WHEN p.ethnicity IS NULL OR p.ethnicity LIKE 'Z%' OR p.ethnicity ~ '^[ABC] ' THEN 1.0 ELSE 0.8 END)
                     * (CASE WHEN p.disability = 'Yes' THEN 0.85 ELSE 1.0 END) AS factor,
                   ${full ? sql`CASE WHEN ${status} < 900 THEN ${demoContent} ELSE '{}'::jsonb END` : sql`'{}'::jsonb`} AS content
              FROM appraisal_cycles c
              JOIN assignments a ON a.organisation_id = c.organisation_id AND a.end_date IS NULL
              JOIN people p ON p.id = a.person_id
              LEFT JOIN assignments lm ON lm.id = a.line_manager_assignment_id
             WHERE c.synthetic
             ORDER BY a.person_id, a.id
          ) x
      `.execute(trx);
      // Reminders for what was already overdue went out in the past: mark them sent, so the first run of the
      // reminder job does not email a whole region at once.
      await sql`
        INSERT INTO appraisal_reminders (appraisal_id, recipient, kind, sent_at)
        SELECT ap.id, r.recipient, k.kind, ap.due_on
          FROM appraisals ap
          CROSS JOIN (VALUES ('appraisee'), ('appraiser')) AS r(recipient)
          CROSS JOIN (VALUES ('due_soon'), ('overdue')) AS k(kind)
         WHERE ap.synthetic AND ap.status <> 'locked' AND ap.due_on < ${ctx.today}::date
        ON CONFLICT DO NOTHING
      `.execute(trx);
      if (full) {
        await sql`
          INSERT INTO appraisal_checkins (person_id, author_name, author_role, noted_on, body, synthetic)
          SELECT ap.person_id, 'Line manager', 'line_manager', ap.meeting_on + 60,
                 'Caught up on progress against the objectives: on track.', true
            FROM appraisals ap
           WHERE ap.synthetic AND ap.status = 'locked' AND ap.person_id % 5 = 0 AND ap.meeting_on + 60 <= ${ctx.today}::date
        `.execute(trx);
      }
      return Number(inserted.numAffectedRows ?? 0);
    });
    const refreshed = await refreshAppraisalSummaries(
      db,
      ctx.today,
      ctx.scale === 'national' ? undefined : ctx.organisationIds,
    );
    return `${counts.toLocaleString('en-GB')} appraisals in ${refreshed.organisations} trusts`;
  },
};
