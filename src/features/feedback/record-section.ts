import type { Database } from '../../db/database.ts';
import type { RaterGroup } from '../../db/schema.ts';
import { versionMeta } from '../frameworks/document-queries.ts';
import type { Figure } from './anonymity.ts';
import type { ReportLine } from './feedback.ts';
import { roundsOfPerson } from './queries.ts';
import { storedReportOf } from './report-store.ts';

/**
 * The 360 summaries a person received, for the `feedback` section of the portable development record: released
 * reports only, each taken from the stored report (the anonymity rule's output). Groups that were not shown are left
 * out altogether, hidden figures are left out of `by_group`, and no comments travel: the section holds group
 * aggregates, never an answer or a remark that could be traced to a rater. `sharedOnly`: for a reader other than
 * the person (line manager, admin), only the reports the person has shared.
 */
export async function feedbackSection(db: Database, personId: number, opts: { sharedOnly: boolean }) {
  const rounds = (await roundsOfPerson(db, personId)).filter(
    (r) => r.released_at !== null && (!opts.sharedOnly || r.shared_at !== null),
  );
  const out = [];
  for (const round of rounds.reverse()) {
    const { report, framework } = await storedReportOf(db, round);
    const meta = await versionMeta(db, round.framework_version_id);
    const shown = new Set(report.groups.filter((g) => g.disclosed).map((g) => g.group));
    const line = (l: ReportLine) => ({
      code: l.code,
      title: l.title,
      self: l.self,
      others: l.others,
      by_group: (Object.entries(l.byGroup) as [RaterGroup, Figure | null][])
        .filter(([g, f]) => f !== null && shown.has(g))
        .map(([group, figure]) => ({ group, figure: figure! })),
    });
    out.push({
      framework: { key: meta?.key ?? '', title: framework.title, version: framework.version },
      closed_on: round.closed_at ? round.closed_at.toISOString().slice(0, 10) : round.closes_on,
      released_at: round.released_at!.toISOString(),
      scale: report.scale,
      groups: report.groups
        .filter((g) => g.disclosed && g.responses !== null && g.responses > 0)
        .map((g) => ({
          group: g.group,
          label: g.label,
          anonymous: g.anonymous,
          responses: g.responses!,
          minimum: g.minimum,
        })),
      domains: report.domains.map((d) => ({ ...line(d), competencies: d.competencies.map(line) })),
      strengths: report.strengths.map((l) => l.code),
      development_areas: report.lowest.map((l) => l.code),
      blind_spots: report.blindSpots.map((l) => l.code),
      hidden_strengths: report.hiddenStrengths.map((l) => l.code),
      imported: null,
    });
  }
  return out;
}
