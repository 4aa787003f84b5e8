import { relativeLikelihood, suppressPartition, suppressTable } from '../../stats/disclosure.ts';
import { bands } from '../people/people.ts';

// Equity of access to non-mandatory development (docs/learning-record.md, "Equity figures"). Pure rules: the
// periods, the groups, the disclosure control across the area hierarchy and the relative likelihoods.

export type AreaKind = 'nation' | 'region' | 'icb' | 'organisation';

export interface Period {
  period: string;
  kind: 'year' | 'quarter';
  start: string;
  /** The snapshot date: the period's last day, or today for the period in progress. */
  end: string;
}

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
const fy = (y: number) => `${y}/${String((y + 1) % 100).padStart(2, '0')}`;

/** The three most recent NHS financial years (April to March, the current one to date) and their quarters so far. */
export function periodsFor(today: string): Period[] {
  const [y, m] = today.split('-').map(Number);
  const current = m >= 4 ? y : y - 1;
  const out: Period[] = [];
  for (let start = current - 2; start <= current; start++) {
    const end = iso(start + 1, 3, 31);
    out.push({ period: fy(start), kind: 'year', start: iso(start, 4, 1), end: end < today ? end : today });
    for (let q = 0; q < 4; q++) {
      const qs = iso(start + (q === 3 ? 1 : 0), q === 3 ? 1 : 4 + q * 3, 1);
      if (qs > today) continue;
      const qe = iso(start + (q === 3 ? 1 : 0), q === 3 ? 4 : 7 + q * 3, 0);
      out.push({ period: `${fy(start)} Q${q + 1}`, kind: 'quarter', start: qs, end: qe < today ? qe : today });
    }
  }
  return out;
}

export const dimensions = ['all', 'band', 'ethnic_group', 'ethnicity', 'disability', 'sex', 'age_band'] as const;
export type Dimension = (typeof dimensions)[number];

export const dimensionLabels: Record<Dimension, string> = {
  all: 'All staff',
  band: 'Agenda for Change band',
  ethnic_group: 'White and BME staff (WRES)',
  ethnicity: 'Ethnic group',
  disability: 'Disability (WDES)',
  sex: 'Sex',
  age_band: 'Age band',
};

const bandOrder: string[] = [...bands];
const fixedOrder: Partial<Record<Dimension, string[]>> = {
  ethnic_group: ['White', 'BME', 'Not stated'],
  ethnicity: [
    'White',
    'Mixed',
    'Asian or Asian British',
    'Black or Black British',
    'Chinese or any other ethnic group',
    'Not stated',
  ],
  disability: ['Disabled', 'Not disabled', 'Not declared'],
};

/** Groups in reading order: fixed lists where there is one, bands in pay order, others alphabetically; "Not known" last. */
export function orderGroups(dimension: Dimension, groups: string[]): string[] {
  const fixed = fixedOrder[dimension] ?? (dimension === 'band' ? bandOrder : undefined);
  const rank = (g: string) => {
    if (g === 'Not known') return 1e6;
    const i = fixed?.indexOf(g) ?? -1;
    return i >= 0 ? i : 1e5;
  };
  return [...groups].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en-GB', { numeric: true }));
}

export const groupLabel = (dimension: Dimension, grp: string) =>
  dimension === 'band' && /^\d|^8/.test(grp) ? `Band ${grp}` : grp;

export interface RawCell {
  areaKind: AreaKind;
  areaId: number;
  /** The area whose figure is the total of this one's and its siblings' (null for the nation). */
  parent: string | null;
  period: string;
  dimension: Dimension;
  grp: string;
  staff: number;
  accessed: number;
  hours: number;
}

export const areaKey = (kind: AreaKind, id: number) => `${kind}:${id}`;

/**
 * Disclosure control for every cell of a refresh. Within one period and dimension, an area's groups are a partition
 * of its staff, and the areas inside a parent (organisations in an ICB, ICBs in a region, regions in England) add
 * up to the parent's figure for each group. So each parent's children form a table (rows: child areas, columns:
 * groups) whose row and column totals are published, and suppressTable hides the small cells of that table and
 * enough others that none can be worked out from the totals. The nation's own groups are a partition. Each cell
 * is a member of exactly one such table, so the decisions never conflict. Suppression is decided on the staff
 * count (the denominator); a hidden cell hides its accessed count, rate and hours too.
 *
 * When two cells are equally small, the one hidden first is the one earlier in its row or column, so each table is
 * laid out in a fixed order (areas by id, groups in reading order) whatever order the cells come in: the same
 * figures always get the same decisions, whichever plan the database chose for the refresh. Decisions that changed
 * from night to night over unchanged figures could show a cell one night that was hidden the night before.
 */
export function suppressEquity(cells: readonly RawCell[], minimum: number): boolean[] {
  const hidden = new Array<boolean>(cells.length).fill(false);
  const families = new Map<string, number[]>();
  cells.forEach((c, i) => {
    const key = `${c.period}|${c.dimension}|${c.parent ?? 'top'}`;
    const list = families.get(key) ?? [];
    list.push(i);
    families.set(key, list);
  });
  for (const members of families.values()) {
    const groups = orderGroups(cells[members[0]].dimension, [...new Set(members.map((i) => cells[i].grp))]);
    const byArea = new Map<string, { id: number; row: Map<string, number> }>();
    for (const i of members) {
      const k = areaKey(cells[i].areaKind, cells[i].areaId);
      const area = byArea.get(k) ?? { id: cells[i].areaId, row: new Map<string, number>() };
      area.row.set(cells[i].grp, i);
      byArea.set(k, area);
    }
    const rows = [...byArea.entries()]
      .sort(([ka, a], [kb, b]) => a.id - b.id || (ka < kb ? -1 : 1))
      .map(([, area]) =>
        groups.map((g) => {
          const i = area.row.get(g);
          return { n: i === undefined ? 0 : cells[i].staff, index: i };
        }),
      );
    const decided =
      cells[members[0]].parent === null ? [suppressPartition(rows[0], minimum)] : suppressTable(rows, minimum);
    for (const row of decided) for (const c of row) if (c.index !== undefined && c.suppressed) hidden[c.index] = true;
  }
  return hidden;
}

export interface ShownCell {
  grp: string;
  staff: number;
  accessed: number;
  hours: number;
  suppressed: boolean;
}

/** WRES indicator 4 and WDES: the likelihood of the reference group accessing development over the comparison group's. */
export function likelihoods(cells: readonly ShownCell[], dimension: 'ethnic_group' | 'disability', minimum: number) {
  const [refName, cmpName] = dimension === 'ethnic_group' ? ['White', 'BME'] : ['Not disabled', 'Disabled'];
  const ref = cells.find((c) => c.grp === refName);
  const cmp = cells.find((c) => c.grp === cmpName);
  if (!ref || !cmp || ref.suppressed || cmp.suppressed) return null;
  return relativeLikelihood({ n: ref.staff, k: ref.accessed }, { n: cmp.staff, k: cmp.accessed }, minimum);
}
