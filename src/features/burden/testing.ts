import type { CommandIO } from '../../command.ts';
import type { Database } from '../../db/database.ts';
import { createReturn, placeReturn } from './returns.ts';
import { checkReturn } from './schemas.ts';

/** Test helpers that go through the feature's own code: a return as a curator would add it; a command's output. */

export async function makeReturn(
  deps: { db: Database; clock: { now(): Date } },
  fields: Record<string, unknown> & { name: string },
  items: (string | { name: string; definition?: string; unit?: string })[] = [],
): Promise<number> {
  const checked = checkReturn({
    requesting_body: 'nhse_national',
    legal_basis: 'Health and Social Care Act 2012, s.259',
    mandatory: 'yes',
    approval_ref: 'DAPB0001',
    frequency: 'monthly',
    deadline_rule: '15th working day of the month',
    submission_route: 'SDCS',
    start_date: '2020-04-01',
    scope: 'national',
    ...fields,
  });
  if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  const values = checked.values;
  const placed = await placeReturn(deps.db, values);
  if ('field' in placed) throw new Error(`${placed.field}: ${placed.message}`);
  return createReturn(
    deps,
    { label: 'test' },
    values,
    placed,
    items.map((i) => (typeof i === 'string' ? { name: i } : i)),
  );
}

export function captureIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => {} };
  return { io, out, err };
}
