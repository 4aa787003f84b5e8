import type { ManagementLevel } from '../../db/schema.ts';
import { managementLevelLabels, managementLevels, type VersionDocument } from './document.ts';
import type { Content } from './document-queries.ts';
import { bandRuleText, effectiveRequired, labelOf, statusLabels, statusTagClass } from './frameworks.ts';
import type { VersionRow } from './queries.ts';

// View models for the templates: everything they show, worked out here rather than in nunjucks.

export const levelColumns = managementLevels.map((l) => ({ key: l, label: managementLevelLabels[l] }));

export function presentVersionRow(v: VersionRow) {
  return { ...v, statusLabel: statusLabels[v.status], tagClass: statusTagClass[v.status] };
}

/** A version as the reader's page shows it: domains, competencies with their required levels, the scale. */
export function presentDocument(doc: VersionDocument) {
  return {
    scale: doc.scale.levels.map((l) => ({
      ...l,
      counts: l.value !== null,
      proficient: doc.scale.proficient_value !== null && l.value !== null && l.value >= doc.scale.proficient_value,
    })),
    proficientLabel: labelOf(doc, doc.scale.proficient_value),
    bandRule: bandRuleText(doc.rating_bands),
    domains: doc.domains.map((d) => ({
      ...d,
      competencies: d.competencies.map((c) => {
        const req = effectiveRequired(d.required_levels, c.required_levels);
        return {
          ...c,
          required: managementLevels.map((l) => ({
            level: l,
            label: labelOf(doc, req[l]) ?? 'Not required',
            overridden: c.required_levels[l] !== undefined,
          })),
          hasRequired: managementLevels.some((l) => req[l] !== undefined),
        };
      }),
    })),
  };
}

/** The draft editor's tree: rows with ids, and whether each can move up or down. */
export function presentDraftTree(content: Content) {
  const indicatorCount = new Map<number, number>();
  for (const i of content.indicators)
    indicatorCount.set(i.competency_id, (indicatorCount.get(i.competency_id) ?? 0) + 1);
  return content.domains.map((d, i) => {
    const comps = content.competencies.filter((c) => c.domain_id === d.id);
    return {
      ...d,
      first: i === 0,
      last: i === content.domains.length - 1,
      competencies: comps.map((c, j) => ({
        ...c,
        first: j === 0,
        last: j === comps.length - 1,
        indicators: indicatorCount.get(c.id) ?? 0,
      })),
    };
  });
}

/** Options for a required-level select: "not required" and each scored level. */
export function requiredOptions(content: Content, selected: number | undefined, emptyText: string) {
  return [
    { value: '', text: emptyText, selected: selected === undefined },
    ...content.levels
      .filter((l) => l.value !== null)
      .sort((a, b) => (a.value as number) - (b.value as number))
      .map((l) => ({ value: String(l.value), text: `${l.label} (${l.value})`, selected: l.value === selected })),
  ];
}

export type RequiredGrid = Map<string, number>;
export const cellName = (owner: 'd' | 'c', id: number, level: ManagementLevel) => `${owner}${id}_${level}`;

export function requiredGrid(content: Content): RequiredGrid {
  const grid: RequiredGrid = new Map();
  for (const r of content.required) {
    const owner = r.domain_id !== null ? cellName('d', r.domain_id, r.management_level) : undefined;
    const comp = r.competency_id !== null ? cellName('c', r.competency_id, r.management_level) : undefined;
    grid.set((owner ?? comp)!, r.required_value);
  }
  return grid;
}
