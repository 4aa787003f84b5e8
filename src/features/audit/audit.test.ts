import { describe, expect, it } from 'vitest';
import { checkFilter, compactDetails, csvFilename, datePartsToIso, filterQuery, linkSegments } from './audit.ts';

describe('audit search rules', () => {
  it('reads the NHS date input as an ISO date and explains what is wrong with a bad one', () => {
    expect(datePartsToIso('from', { day: '5', month: '3', year: '2026' })).toEqual({ iso: '2026-03-05' });
    expect(datePartsToIso('from', {})).toEqual({});
    expect(datePartsToIso('from', { day: '5', year: '2026' }).problem?.text).toBe(
      'From date must include a day, month and year',
    );
    expect(datePartsToIso('to', { day: '30', month: '2', year: '2026' }).problem?.text).toMatch(
      /^To date must be a real date/,
    );
    expect(datePartsToIso('to', { day: 'x', month: '2', year: '26' }).problem?.field).toBe('to');
  });

  it('cleans a filter, upper-cases ODS codes and reports every problem in page order', () => {
    expect(checkFilter({ actor: '  smith ', organisation: 'rx1', from: '2026-01-01', to: '2026-01-31' })).toEqual({
      filter: { actor: 'smith', organisation: 'RX1', from: '2026-01-01', to: '2026-01-31' },
      problems: [],
    });
    const bad = checkFilter({ actor: 'ab', person: 'a b', from: '2026-02-30', to: '2025-01-01' });
    expect(bad.problems.map((p) => p.field)).toEqual(['actor', 'person', 'from']);
    const reversed = checkFilter({ from: '2026-02-01', to: '2026-01-01' });
    expect(reversed.problems).toEqual([{ field: 'to', text: 'To date must be the same as or after the from date' }]);
  });

  it('keeps the filter in links and in the CSV file name, safely', () => {
    const f = { action: 'outbox.view', organisation: 'RX1', from: '2026-01-05' };
    expect(filterQuery(f)).toMatchObject({ action: 'outbox.view', 'from-day': '05', 'from-month': '01' });
    expect(csvFilename(f)).toBe('audit-log_action-outbox.view_org-RX1_from-2026-01-05.csv');
    expect(csvFilename({})).toBe('audit-log_all.csv');
    expect(csvFilename({ actor: 'a"b/../c' })).toBe('audit-log_actor-a-b-..-c.csv');
  });

  it('shows details as one short line', () => {
    expect(compactDetails({ name: 'Nightly', n: 3 })).toBe('name: Nightly; n: 3');
    expect(compactDetails(null)).toBe('');
    expect(compactDetails({ text: 'x'.repeat(300) }).length).toBe(160);
  });

  it('cuts a mail body into text and full web addresses', () => {
    expect(linkSegments('Reset: https://lw.example/reset/abc_123.\nThanks')).toEqual([
      { text: 'Reset: ' },
      { href: 'https://lw.example/reset/abc_123' },
      { text: '.\nThanks' },
    ]);
    expect(linkSegments('no links')).toEqual([{ text: 'no links' }]);
  });
});
