import { formErrors } from '../../web/http.ts';
import { dateParts, datePartsToIso, moneyText, type PriorityInput, priorityInput } from './priorities.ts';
import type { PriorityRow } from './queries.ts';

// The priority form (adding and editing): its fields as posted, checked by the same rules as the API.

export type Fields = Record<string, { text: string }>;

const order = [
  'place',
  'title',
  'source',
  'set_on',
  'measure',
  'target_date',
  'funded',
  'funding_amount',
  'owner',
  'teams',
  'organisations',
];
const anchor = (f: string) => (f === 'set_on' || f === 'target_date' ? `#${f}-day` : `#${f}`);

/** The NHS error summary's list, in the order of the form. */
export const errorList = (fields: Fields) =>
  order.filter((f) => fields[f]).map((f) => ({ text: fields[f]!.text, href: anchor(f) }));

/** The posted fields as a priority, or the problems per field. */
export function parsePriorityForm(body: Record<string, unknown>): { data?: PriorityInput; fields: Fields } {
  const dates: Record<string, string> = {};
  const dateProblems: Record<string, string> = {};
  for (const [field, label] of [
    ['set_on', 'Date set'],
    ['target_date', 'Target date'],
  ] as const) {
    const r = datePartsToIso(label, {
      day: body[`${field}-day`] as string,
      month: body[`${field}-month`] as string,
      year: body[`${field}-year`] as string,
    });
    if ('problem' in r) dateProblems[field] = r.problem;
    else dates[field] = r.iso;
  }
  const parsed = priorityInput.safeParse({
    title: body.title,
    source: body.source || undefined,
    set_on: dates.set_on ?? 'x',
    measure: body.measure,
    target_date: dates.target_date ?? 'x',
    funded: body.funded === 'yes' ? true : body.funded === 'no' ? false : undefined,
    funding_amount: moneyText(body.funding_amount as string | undefined),
    owner: body.owner,
  });
  const fields: Fields = parsed.success ? {} : formErrors(parsed.error).fields;
  for (const [field, text] of Object.entries(dateProblems)) fields[field] = { text };
  return parsed.success && !Object.keys(fields).length ? { data: parsed.data, fields } : { fields };
}

/** A stored priority as the form's values, for editing. */
export function formValues(p: PriorityRow): Record<string, string> {
  return {
    title: p.title,
    source: p.source,
    ...dateParts('set_on', p.set_on),
    measure: p.measure,
    ...dateParts('target_date', p.target_date),
    funded: p.funded ? 'yes' : 'no',
    funding_amount: p.funding_amount === null ? '' : String(Number(p.funding_amount)),
    owner: p.owner,
  };
}
