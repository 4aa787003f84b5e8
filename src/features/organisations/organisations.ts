import type { OrgKind } from '../../db/schema.ts';

// Rules of the organisations feature, pure: search terms, labels, the team tree.

export const kindLabels: Record<OrgKind, string> = {
  nation: 'Nation',
  region: 'NHS England region',
  icb: 'Integrated care board (ICB)',
  sub_icb: 'Sub-ICB location',
  trust: 'NHS trust',
  provider: 'Provider',
  other: 'Other organisation',
};

/** Plural headings for the children of an organisation, in the order the page lists them. */
export const childGroups: { kind: OrgKind; heading: string; closedHeading: string }[] = [
  { kind: 'icb', heading: 'Integrated care boards', closedHeading: 'Closed integrated care boards' },
  { kind: 'trust', heading: 'NHS trusts', closedHeading: 'Closed NHS trusts' },
  { kind: 'sub_icb', heading: 'Sub-ICB locations', closedHeading: 'Closed sub-ICB locations' },
  { kind: 'provider', heading: 'Providers', closedHeading: 'Closed providers' },
  { kind: 'other', heading: 'Other organisations', closedHeading: 'Closed organisations' },
  { kind: 'region', heading: 'Regions', closedHeading: 'Closed regions' },
  { kind: 'nation', heading: 'Nations', closedHeading: 'Closed nations' },
];

export interface SearchTerm {
  /** The text to look for in names (ILIKE, served by the trigram index). */
  text: string;
  /** The same text as an ODS code, or null when it cannot be one (codes are 2–12 letters and digits). */
  code: string | null;
}

export function searchTerm(q: string | undefined): SearchTerm | null {
  const text = (q ?? '').trim().replace(/\s+/g, ' ').slice(0, 100);
  if (!text) return null;
  const code = /^[A-Za-z0-9]{2,12}$/.test(text) ? text.toUpperCase() : null;
  return { text, code };
}

export interface TeamRow {
  id: number;
  parent_team_id: number | null;
  code: string | null;
  name: string;
  kind: 'directorate' | 'division' | 'department' | 'team';
  closed_on: string | null;
}

export interface TeamNode extends TeamRow {
  depth: number;
  children: TeamNode[];
}

/**
 * Assemble an organisation's teams (one ordered fetch) into a tree. Teams whose parent is missing
 * (or would form a loop) become roots, so that no team is ever hidden.
 */
export function teamTree(rows: TeamRow[]): TeamNode[] {
  const nodes = new Map<number, TeamNode>();
  for (const r of rows) nodes.set(r.id, { ...r, depth: 0, children: [] });
  const roots: TeamNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parent_team_id === null ? undefined : nodes.get(n.parent_team_id);
    if (parent && !isAncestor(n, parent, nodes)) parent.children.push(n);
    else roots.push(n);
  }
  const byName = (a: TeamNode, b: TeamNode) =>
    Number(a.closed_on !== null) - Number(b.closed_on !== null) || a.name.localeCompare(b.name, 'en-GB');
  const visit = (list: TeamNode[], depth: number) => {
    list.sort(byName);
    for (const n of list) {
      n.depth = depth;
      visit(n.children, depth + 1);
    }
  };
  visit(roots, 0);
  return roots;
}

function isAncestor(node: TeamNode, of: TeamNode, nodes: Map<number, TeamNode>): boolean {
  let cur: TeamNode | undefined = of;
  for (let i = 0; cur && i <= nodes.size; i++) {
    if (cur.id === node.id) return true;
    cur = cur.parent_team_id === null ? undefined : nodes.get(cur.parent_team_id);
  }
  return false;
}

/** The tree in display order, flattened: for the API and for choosing a parent team in a form. */
export function flattenTree(roots: TeamNode[]): TeamNode[] {
  const out: TeamNode[] = [];
  const walk = (list: TeamNode[]) => {
    for (const n of list) {
      out.push(n);
      walk(n.children);
    }
  };
  walk(roots);
  return out;
}

export const teamKinds = ['directorate', 'division', 'department', 'team'] as const;

export const teamKindLabels: Record<(typeof teamKinds)[number], string> = {
  directorate: 'Directorate',
  division: 'Division',
  department: 'Department',
  team: 'Team',
};
