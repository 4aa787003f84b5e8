import type { Database } from '../../db/database.ts';
import { outcomeLabels, sourceLabels, totalHours, totalsByYear } from './learning-record.ts';
import { recordsOf } from './queries.ts';

/**
 * A person's learning record as data: for /me/learning.json, the API and the `learning` section of the development
 * record export. The caller has decided that the reader may see it (developmentAccess) and audited the read.
 */
export async function learningSection(db: Database, personId: number) {
  const records = await recordsOf(db, personId);
  return {
    records: records.map((r) => ({
      id: r.id,
      title: r.title,
      provider: r.providerName,
      completed_on: r.completedOn,
      outcome: r.outcome,
      hours: r.hours,
      mandatory: r.mandatory,
      source: r.source,
      programme_id: r.programmeId,
    })),
    totals: {
      records: records.length,
      hours: totalHours(records),
      by_year: totalsByYear(records),
    },
  };
}

export type LearningSection = Awaited<ReturnType<typeof learningSection>>;

/** The record page's rows and totals. */
export async function recordPage(db: Database, personId: number) {
  const records = await recordsOf(db, personId);
  return {
    records: records.map((r) => ({
      ...r,
      outcomeLabel: outcomeLabels[r.outcome],
      sourceLabel: sourceLabels[r.source],
    })),
    years: totalsByYear(records),
    hours: totalHours(records),
  };
}
