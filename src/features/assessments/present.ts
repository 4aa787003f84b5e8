import * as Plot from '@observablehq/plot';
import { chartColours, renderChart } from '../../web/charts.ts';
import { type AssessmentResult, bandShort, managementLevelLabels, type VersionModel } from './assessments.ts';
import type { AssessmentRow } from './queries.ts';
import { dateText } from './web.ts';

// View models for the assessment templates, worked out here rather than in nunjucks.

const fmt = (v: number | null) => (v === null ? 'Not rated' : v.toFixed(1));

export function presentAssessment(a: AssessmentRow, model: VersionModel | undefined) {
  return {
    id: a.id,
    status: a.status,
    statusLabel: a.status === 'submitted' ? 'Submitted' : 'In progress',
    framework: model
      ? `${model.meta.title}, version ${model.meta.version}`
      : `Framework version ${a.framework_version_id}`,
    frameworkKey: model?.meta.key,
    versionId: a.framework_version_id,
    versionNumber: model?.meta.version,
    level: managementLevelLabels[a.management_level],
    levelSource:
      a.level_source === 'chosen'
        ? 'chosen by the person'
        : a.level_source === 'imported'
          ? 'from the imported record'
          : a.band
            ? `suggested from band ${a.band}`
            : 'suggested',
    started: dateText(a.started_at),
    submitted: dateText(a.submitted_at),
    importedFrom: a.imported_from,
  };
}

/** Past assessments grouped by framework version: results of different versions are never listed together. */
export function historyByVersion(rows: AssessmentRow[], models: Map<number, VersionModel>) {
  const groups = new Map<number, ReturnType<typeof presentAssessment>[]>();
  for (const a of rows) {
    if (a.status !== 'submitted') continue;
    const list = groups.get(a.framework_version_id) ?? [];
    list.push(presentAssessment(a, models.get(a.framework_version_id)));
    groups.set(a.framework_version_id, list);
  }
  return [...groups].map(([versionId, items]) => ({ versionId, title: items[0].framework, items }));
}

export interface ProfileTable {
  caption: string;
  head: string[];
  rows: string[][];
}

/** The profile chart and its table: what is stored with a submitted assessment's result (result-store.ts). */
export interface ProfileChart {
  svg: string;
  table: ProfileTable;
}

/**
 * The profile by domain: the person's mean rating per domain as bars, the mean required level as a tick, with the
 * same figures in the table.
 */
export function profileChart(model: VersionModel, result: AssessmentResult): ProfileChart {
  const scored = model.content.levels.filter((l) => l.value !== null).map((l) => l.value as number);
  const max = Math.max(1, ...scored);
  const data = result.domains.map((d) => ({ label: d.title, value: d.average ?? 0, required: d.requiredAverage }));
  const svg = renderChart(
    {
      marginLeft: Math.min(300, 8 + Math.max(10, ...data.map((d) => d.label.length)) * 6.5),
      height: 50 + data.length * 32,
      x: { label: 'Mean rating (bars) and mean required level (black ticks)', domain: [0, max], grid: true },
      y: { label: null, domain: data.map((d) => d.label) },
      marks: [
        Plot.barX(data, { y: 'label', x: 'value', fill: chartColours.blue }),
        Plot.tickX(
          data.filter((d) => d.required !== null),
          { y: 'label', x: 'required', stroke: '#212b32', strokeWidth: 3 },
        ),
        Plot.ruleX([0]),
      ],
    },
    {
      title: 'Self-assessment profile by domain',
      description: 'For each domain, the mean of your ratings as a bar and the mean required level as a tick.',
    },
  );
  // The whole SVG is one image (role="img" with a title and description): labels on its inner groups are not
  // allowed there, and the table below carries the figures. The chart is stored, so its title and description
  // get fixed ids (it is the only chart on the result page) rather than the renderer's running number.
  const cleanSvg = svg
    .replace(/(<g\b[^>]*?)\s+aria-label="[^"]*"/g, '$1')
    .replace(/\bchart-\d+-(title|desc)\b/g, 'assessment-profile-$1');
  const head = ['Domain', 'Your mean rating', 'Mean required level', 'Green', 'Amber', 'Red', 'No band'];
  const rows = result.domains.map((d) => [
    d.title,
    fmt(d.average),
    d.requiredAverage === null ? 'None' : d.requiredAverage.toFixed(1),
    String(d.green),
    String(d.amber),
    String(d.red),
    String(d.notRated),
  ]);
  return { svg: cleanSvg, table: { caption: 'Self-assessment profile by domain', head, rows } };
}

type DomainMeans = Pick<AssessmentResult['domains'][number], 'id' | 'average'>[];

/**
 * The profile with the previous assessment of the same framework version as a third column of the table. The
 * previous assessment is found when the page is read (an assessment imported later may come between), so it is
 * never part of what is stored.
 */
export function withPrevious(profile: ProfileChart, result: AssessmentResult, previous?: DomainMeans): ProfileChart {
  if (!previous) return profile;
  const prev = new Map(previous.map((d) => [d.id, d.average]));
  const head = [...profile.table.head];
  head.splice(2, 0, 'Previous mean rating');
  const rows = profile.table.rows.map((r, i) => {
    const row = [...r];
    row.splice(2, 0, fmt(prev.get(result.domains[i].id) ?? null));
    return row;
  });
  return { svg: profile.svg, table: { ...profile.table, head, rows } };
}

// Object.assign rather than `{ ...c, bandLabel }`: a spread that adds properties costs about a microsecond a copy on
// Node 20 (docs/performance.md, design rules), and a result has tens of competencies on every page read.
export function presentCompetencies(result: AssessmentResult) {
  return result.competencies.map((c) =>
    Object.assign({}, c, {
      bandLabel: c.band ? bandShort[c.band] : 'No band',
      tagClass:
        c.band === 'green'
          ? 'nhsuk-tag--green'
          : c.band === 'amber'
            ? 'nhsuk-tag--orange'
            : c.band === 'red'
              ? 'nhsuk-tag--red'
              : 'nhsuk-tag--grey',
      gapText: c.gap === null ? '–' : c.gap === 0 ? 'None' : `${c.gap} step${c.gap === 1 ? '' : 's'} below`,
    }),
  );
}

/**
 * The gaps as checkbox items for adding to the plan (built here: the same loop in nunjucks took 1.7 ms), with the
 * ids nhsuk-frontend's checkboxes give their items (the first is the prefix itself).
 */
export function gapItems(competencies: ReturnType<typeof presentCompetencies>) {
  return competencies
    .filter((c) => c.gap !== null && c.gap > 0)
    .map((g, i) => ({
      id: i === 0 ? 'gap' : `gap-${i + 1}`,
      value: g.id,
      text: `${g.code} ${g.title}: ${g.achievedLabel}, required ${g.requiredLabel} (${g.bandLabel}, ${g.gapText})`,
    }));
}
