import { sql, type Transaction } from 'kysely';
import type { DB, ManagementLevel, SubmissionStatus } from '../../db/schema.ts';
import type { Decision, ReminderKind } from './catalogue.ts';
import type { Db } from './queries.ts';

// Accreditation: submissions, decisions, the history of every step, reminders and expiry, and the public register.

export async function recordEvent(
  db: Db,
  e: {
    submissionId: number;
    programmeId: number;
    actor: number | null;
    action: string;
    note?: string | null;
    details?: Record<string, unknown>;
  },
) {
  await db
    .insertInto('accreditation_events')
    .values({
      submission_id: e.submissionId,
      programme_id: e.programmeId,
      actor_account_id: e.actor,
      action: e.action,
      note: e.note ?? null,
      details: e.details ? JSON.stringify(e.details) : null,
    })
    .execute();
}

export async function insertSubmission(
  trx: Transaction<DB>,
  s: {
    programmeId: number;
    reviewRegionId: number | null;
    competencyMapping: string;
    assessmentMethod: string;
    evidence: string;
    snapshot: Record<string, unknown>;
    accountId: number | null;
  },
): Promise<number> {
  const row = await trx
    .insertInto('accreditation_submissions')
    .values({
      programme_id: s.programmeId,
      review_region_id: s.reviewRegionId,
      competency_mapping: s.competencyMapping,
      assessment_method: s.assessmentMethod,
      evidence: s.evidence,
      snapshot: JSON.stringify(s.snapshot),
      submitted_by: s.accountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // While a submission is open the programme shows as submitted; a current accreditation stays until the decision.
  await trx
    .updateTable('programmes')
    .set({
      accreditation_status: sql`CASE WHEN accreditation_status = 'accredited' THEN 'accredited' ELSE 'submitted' END`,
    })
    .where('id', '=', s.programmeId)
    .execute();
  await recordEvent(trx, { submissionId: row.id, programmeId: s.programmeId, actor: s.accountId, action: 'submitted' });
  return row.id;
}

export interface SubmissionRow {
  id: number;
  programme_id: number;
  programme_title: string;
  provider_name: string;
  status: SubmissionStatus;
  review_region_id: number | null;
  review_region_name: string | null;
  competency_mapping: string;
  assessment_method: string;
  evidence: string;
  snapshot: Record<string, unknown>;
  submitted_at: Date;
  submitted_by_name: string | null;
  criteria: Record<string, { met: boolean; note: string }> | null;
  decision_note: string | null;
  decided_at: Date | null;
  decided_by_name: string | null;
  expires_on: string | null;
}

function submissions(db: Db) {
  return db
    .selectFrom('accreditation_submissions as s')
    .innerJoin('programmes as p', 'p.id', 's.programme_id')
    .innerJoin('providers as pr', 'pr.id', 'p.provider_id')
    .leftJoin('organisations as rr', 'rr.id', 's.review_region_id')
    .leftJoin('accounts as sa', 'sa.id', 's.submitted_by')
    .leftJoin('accounts as da', 'da.id', 's.decided_by')
    .select([
      's.id',
      's.programme_id',
      'p.title as programme_title',
      'pr.name as provider_name',
      's.status',
      's.review_region_id',
      'rr.name as review_region_name',
      's.competency_mapping',
      's.assessment_method',
      's.evidence',
      's.snapshot',
      's.submitted_at',
      'sa.display_name as submitted_by_name',
      's.criteria',
      's.decision_note',
      's.decided_at',
      'da.display_name as decided_by_name',
      's.expires_on',
    ]);
}

export async function findSubmission(db: Db, id: number): Promise<SubmissionRow | undefined> {
  return submissions(db).where('s.id', '=', id).executeTakeFirst();
}

export async function submissionsOfProgramme(db: Db, programmeId: number): Promise<SubmissionRow[]> {
  return submissions(db).where('s.programme_id', '=', programmeId).orderBy('s.id', 'desc').execute();
}

/** Open submissions a reviewer may decide: all for national reviewers, else those of their regions. */
export async function openSubmissions(db: Db, regionIds: number[] | 'all'): Promise<SubmissionRow[]> {
  let q = submissions(db).where('s.status', '=', 'submitted');
  if (regionIds !== 'all') {
    if (!regionIds.length) return [];
    q = q.where('s.review_region_id', 'in', regionIds);
  }
  return q.orderBy('s.submitted_at').limit(200).execute();
}

export async function eventsOfProgramme(db: Db, programmeId: number) {
  return db
    .selectFrom('accreditation_events as e')
    .leftJoin('accounts as a', 'a.id', 'e.actor_account_id')
    .select(['e.id', 'e.submission_id', 'e.at', 'e.action', 'e.note', 'a.display_name as actor_name'])
    .where('e.programme_id', '=', programmeId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

/** Record a decision on an open submission; false when it was already decided (two reviewers at once). */
export async function decide(
  trx: Transaction<DB>,
  s: { id: number; programmeId: number },
  d: {
    decision: Decision;
    criteria: Record<string, { met: boolean; note: string }>;
    note: string;
    expiresOn: string | null;
    accountId: number;
  },
): Promise<boolean> {
  const updated = await trx
    .updateTable('accreditation_submissions')
    .set({
      status: d.decision,
      criteria: JSON.stringify(d.criteria),
      decision_note: d.note || null,
      decided_by: d.accountId,
      decided_at: sql`now()`,
      expires_on: d.decision === 'accredited' ? d.expiresOn : null,
    })
    .where('id', '=', s.id)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return false;
  if (d.decision === 'accredited') {
    // A renewal supersedes the accreditation it renews, so only one accreditation per programme is current.
    await trx
      .updateTable('accreditation_submissions')
      .set({ status: 'superseded' })
      .where('programme_id', '=', s.programmeId)
      .where('status', '=', 'accredited')
      .where('id', '<>', s.id)
      .execute();
    await trx
      .updateTable('programmes')
      .set({ accreditation_status: 'accredited', accredited_until: d.expiresOn })
      .where('id', '=', s.programmeId)
      .execute();
  } else {
    // A programme still inside an earlier accreditation keeps it; otherwise it shows the decision.
    await trx
      .updateTable('programmes')
      .set({
        accreditation_status: sql`CASE WHEN accredited_until IS NOT NULL THEN 'accredited' ELSE ${d.decision} END`,
      })
      .where('id', '=', s.programmeId)
      .execute();
  }
  await recordEvent(trx, {
    submissionId: s.id,
    programmeId: s.programmeId,
    actor: d.accountId,
    action: d.decision,
    note: d.note || null,
    details: { criteria: d.criteria, expires_on: d.expiresOn },
  });
  return true;
}

/** Current accreditations whose expiry is within `horizon` (YYYY-MM-DD), with reminders already sent. */
export async function accreditationsExpiringBy(db: Db, horizon: string) {
  return db
    .selectFrom('accreditation_submissions as s')
    .innerJoin('programmes as p', 'p.id', 's.programme_id')
    .leftJoin('accounts as a', 'a.id', 's.submitted_by')
    .select([
      's.id',
      's.programme_id',
      's.expires_on',
      'p.title',
      'p.provider_id',
      'a.email as submitter_email',
      sql<ReminderKind[]>`ARRAY(SELECT r.kind FROM accreditation_reminders r WHERE r.submission_id = s.id)`.as('sent'),
    ])
    .where('s.status', '=', 'accredited')
    .where('s.expires_on', '<=', horizon)
    .orderBy('s.expires_on')
    .execute();
}

/** Mark a reminder sent; false if another run already did (the primary key decides). */
export async function claimReminder(trx: Transaction<DB>, submissionId: number, kind: ReminderKind): Promise<boolean> {
  const r = await trx
    .insertInto('accreditation_reminders')
    .values({ submission_id: submissionId, kind })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Accounts to tell about a provider's accreditation: its provider admins. */
export async function providerAdminEmails(db: Db, providerId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('role_grants as g')
    .innerJoin('accounts as a', 'a.id', 'g.account_id')
    .innerJoin('providers as pr', (j) => j.on('pr.id', '=', providerId))
    .select('a.email')
    .distinct()
    .where('g.role', '=', 'provider_admin')
    .where('a.status', '=', 'active')
    .where((eb) =>
      eb.or([eb('g.provider_id', '=', providerId), eb('g.organisation_id', '=', eb.ref('pr.organisation_id'))]),
    )
    .execute();
  return rows.map((r) => r.email);
}

/** Expire accreditations whose date has come: the submission, the programme, and a history entry each. */
export async function expireDue(trx: Transaction<DB>, today: string): Promise<{ id: number; programme_id: number }[]> {
  const expired = await trx
    .updateTable('accreditation_submissions')
    .set({ status: 'expired' })
    .where('status', '=', 'accredited')
    .where('expires_on', '<=', today)
    .returning(['id', 'programme_id'])
    .execute();
  if (!expired.length) return [];
  await trx
    .updateTable('programmes')
    .set({ accreditation_status: 'expired', accredited_until: null })
    .where(
      'id',
      'in',
      expired.map((e) => e.programme_id),
    )
    .where('accreditation_status', '=', 'accredited')
    .execute();
  // A programme with a renewal under review shows as submitted again once the old accreditation ends.
  await trx
    .updateTable('programmes')
    .set({ accreditation_status: 'submitted' })
    .where(
      'id',
      'in',
      expired.map((e) => e.programme_id),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('accreditation_submissions as o')
          .select(sql`1`.as('one'))
          .whereRef('o.programme_id', '=', 'programmes.id')
          .where('o.status', '=', 'submitted'),
      ),
    )
    .execute();
  for (const e of expired) {
    await recordEvent(trx, { submissionId: e.id, programmeId: e.programme_id, actor: null, action: 'expired' });
  }
  return expired;
}

/**
 * The public register: programmes with a current accreditation, by title, keyset-paged on (title, id): `after` a
 * key reads forwards, `before` a key reads backwards (the rows still come back in title order). The page is read
 * from its own partial indexes (programmes_register_idx, and _level_idx for one level), then providers, areas and the date of the accrediting
 * decision are joined to the page's rows in one set (the decision dates as one grouped read, not a look-up per row).
 */
export async function accreditedRegister(
  db: Db,
  opts: {
    after?: [string, number];
    before?: [string, number];
    limit?: number;
    regionId?: number;
    level?: ManagementLevel;
  } = {},
) {
  let page = db
    .selectFrom('programmes as p')
    .select([
      'p.id',
      'p.title',
      'p.provider_id',
      'p.level',
      'p.scope',
      'p.scope_org_id',
      'p.accredited_until',
      'p.status',
    ])
    .where('p.accreditation_status', '=', 'accredited');
  if (opts.regionId !== undefined) {
    const r = opts.regionId;
    page = page.where((eb) => eb.or([eb('p.scope', '=', 'national'), eb('p.area_region_id', '=', r)]));
  }
  if (opts.level) page = page.where('p.level', '=', opts.level);
  if (opts.after) {
    const [t, id] = opts.after;
    page = page.where(sql<boolean>`(p.title, p.id) > (${t}, ${id})`);
  }
  const backwards = opts.before !== undefined;
  if (opts.before) {
    const [t, id] = opts.before;
    page = page.where(sql<boolean>`(p.title, p.id) < (${t}, ${id})`);
  }
  page = backwards ? page.orderBy('p.title', 'desc').orderBy('p.id', 'desc') : page.orderBy('p.title').orderBy('p.id');
  if (opts.limit) page = page.limit(opts.limit);
  const rows = await db
    .with('page', () => page)
    .with('decided', (qc) =>
      qc
        .selectFrom('accreditation_submissions as s')
        .select(['s.programme_id', sql<Date>`max(s.decided_at)`.as('accredited_on')])
        .where('s.status', '=', 'accredited')
        // The page's ids as one array: looked up in the programme index, where a join would read every submission.
        .where(sql<boolean>`s.programme_id = ANY ((SELECT array_agg(page.id) FROM page)::bigint[])`)
        .groupBy('s.programme_id'),
    )
    .selectFrom('page as p')
    .innerJoin('providers as pr', 'pr.id', 'p.provider_id')
    .leftJoin('organisations as so', 'so.id', 'p.scope_org_id')
    .leftJoin('decided as d', 'd.programme_id', 'p.id')
    .select([
      'p.id',
      'p.title',
      'pr.name as provider_name',
      'p.level',
      'p.scope',
      'so.name as scope_org_name',
      sql<Date | null>`d.accredited_on`.as('accredited_on'),
      sql<string>`p.accredited_until`.as('accredited_until'),
      'p.status',
    ])
    .orderBy('p.title')
    .orderBy('p.id')
    .execute();
  return rows;
}

/**
 * Competencies with at least one accredited, published programme available in the region (national programmes
 * count everywhere). The complement against the framework's competencies is "no accredited programme here".
 */
export async function accreditedCompetencyCounts(db: Db, regionId: number) {
  return db
    .selectFrom('programme_competencies as pc')
    .innerJoin('programmes as p', 'p.id', 'pc.programme_id')
    .select(['pc.competency_id', sql<number>`count(*)::int`.as('programmes')])
    .where('p.accreditation_status', '=', 'accredited')
    .where('p.status', '=', 'published')
    .where((eb) => eb.or([eb('p.scope', '=', 'national'), eb('p.area_region_id', '=', regionId)]))
    .groupBy('pc.competency_id')
    .execute();
}

export type RegisterRow = Awaited<ReturnType<typeof accreditedRegister>>[number];
