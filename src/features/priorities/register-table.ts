import { sourceLabels, statusLabels } from './priorities.ts';
import type { PriorityRow } from './queries.ts';
import type { DataTable } from './tables.ts';

const placeText = (r: PriorityRow) =>
  r.scope === 'national'
    ? 'England'
    : `${r.scope === 'organisation' ? '' : `${r.scope === 'icb' ? 'ICB' : 'Region'}: `}${r.scope_org_name}`;

/** The register as a table: the page, and its CSV and JSON downloads. */
export function registerTable(rows: PriorityRow[]): DataTable {
  return {
    id: 'register',
    caption: 'Priorities you can see, newest first',
    columns: [
      { key: 'title', label: 'Priority' },
      { key: 'source', label: 'Set by' },
      { key: 'placed_on', label: 'Placed on' },
      { key: 'set_on', label: 'Date set' },
      { key: 'target_date', label: 'Target date' },
      { key: 'funded', label: 'Funded' },
      { key: 'funding_amount', label: 'Funding (£)', numeric: true },
      { key: 'owner', label: 'Owner' },
      { key: 'status', label: 'Status' },
    ],
    rows: rows.map((r) => ({
      title: r.title,
      source: sourceLabels[r.source],
      placed_on: placeText(r),
      set_on: r.set_on,
      target_date: r.target_date ?? 'None set',
      funded: r.funded,
      funding_amount: r.funding_amount === null ? null : Number(r.funding_amount),
      owner: r.owner,
      status: statusLabels[r.status],
    })),
    hrefs: rows.map((r) => `/priorities/${r.id}`),
    note: 'Funding “Not available”: unfunded, or the amount is not known.',
  };
}
