import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { odsTitleCase } from './names.ts';
import { csvRows, odsDate, parseOdsFile } from './ods-parse.ts';
import { geographyOf } from './ods-plan.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (f: string) => readFileSync(path.join(fixtures, f), 'utf8');

describe('reading ODS files', () => {
  it('reads the current layout (27 quoted columns), keeping quoted commas inside a field', () => {
    const f = parseOdsFile(fixture('etr-current.csv'), { file: 'etr.csv' });
    expect(f.errors).toEqual([]);
    expect(f.kind).toBe('etr');
    expect(f.layout).toBe('current');
    const g = f.records.find((r) => r.code === 'G6V2S')!;
    expect(g).toMatchObject({
      name: 'North London NHS Foundation Trust',
      kind: 'trust',
      regionCode: 'Y56',
      geographyCode: 'QMJ',
      address: '4th Floor, East Wing, St. Pancras Hospital, 4 St. Pancras Way, London',
      postcode: 'NW1 0PE',
      openedOn: '2024-11-01',
      closedOn: null,
      line: 1,
    });
    expect(f.records.find((r) => r.code === 'R1C')!.closedOn).toBe('2024-09-30');
    expect(f.records.find((r) => r.code === 'R0A')!.phone).toBe('0300 3309444');
    // A Welsh trust has no NHS England region or ICB.
    expect(f.records.find((r) => r.code === 'RQF')).toMatchObject({ regionCode: null, geographyCode: null });
  });

  it('reads the older layout (24 unquoted columns) into the same shape', () => {
    const f = parseOdsFile(fixture('etr-older.csv'), { file: 'etr-2021.csv' });
    expect(f.errors).toEqual([]);
    expect(f.layout).toBe('older');
    expect(f.records).toHaveLength(10);
    expect(f.records.find((r) => r.code === 'RW6')).toMatchObject({
      name: 'Pennine Acute Hospitals NHS Trust',
      closedOn: null,
      phone: '0161 624 0420',
      line: 10,
    });
  });

  it('recognises sub-ICB location files by their names and ICB names and regions files by their headers', () => {
    expect(parseOdsFile(fixture('eccg-current.csv'), { file: 'x.csv' }).kind).toBe('eccg');
    expect(parseOdsFile(fixture('eccg-older.csv'), { file: 'x.csv' }).kind).toBe('eccg');
    const icb = parseOdsFile(fixture('icb-names.csv'), { file: 'icb.csv' });
    expect(icb.kind).toBe('icb');
    expect(icb.records[0]).toMatchObject({
      code: 'QMJ',
      onsCode: 'E54000028',
      name: 'NHS North Central London Integrated Care Board',
      kind: 'icb',
      line: 2,
    });
    const regions = parseOdsFile('code,name\nY56,London\n', { file: 'regions.csv' });
    expect(regions.records).toMatchObject([{ code: 'Y56', name: 'London', kind: 'region' }]);
  });

  it('asks for --kind when it cannot tell the kind from the content', () => {
    const f = parseOdsFile('"ABC","SOMETHING ELSE"\n', { file: 'odd.csv' });
    expect(f.errors[0]).toMatchObject({ line: 1, message: expect.stringContaining('--kind') });
  });

  it('reports each bad row with its line number: column count, missing code or name, bad dates, repeated codes', () => {
    const lines = fixture('etr-current.csv').trimEnd().split('\r\n');
    lines[2] = lines[2].replace(/,""$/, ''); // 26 columns
    lines[3] = lines[3].replace(/^"R0C"/, '""');
    lines[4] = lines[4].replace('"SOLENT NHS TRUST"', '""');
    lines[6] = lines[6].replace('"20120401"', '"20121301"');
    lines.splice(8, 0, '', lines[7]); // a blank line, then line 8 again on line 10
    const f = parseOdsFile(lines.join('\r\n'), { file: 'etr.csv' });
    expect(f.errors.map((e) => [e.line, e.message])).toEqual([
      [3, 'expected 27 columns, found 26'],
      [4, 'the organisation code (column 1) is empty'],
      [5, 'the name (column 2) is empty'],
      [7, 'the open date (column 11) "20121301" is not a date in the form YYYYMMDD'],
      [10, 'code R1K already appears on line 8'],
    ]);
  });

  it('rejects a file whose rows are neither layout', () => {
    const f = parseOdsFile('R0A,TRUST NAME,Y62\nR0B,OTHER TRUST,Y63\n', { file: 'etr.csv', kind: 'etr' });
    expect(f.errors).toEqual([
      { file: 'etr.csv', line: 1, message: expect.stringContaining('27 (current layout) or 24 (older layout)') },
    ]);
  });

  it('counts lines across quoted line breaks', () => {
    expect(csvRows('"a","b\nc"\r\n\r\n"d","e"\n').map((r) => r.line)).toEqual([1, 4]);
  });
});

describe('ODS values', () => {
  it('turns capitals into readable names, keeping acronyms and codes', () => {
    expect(odsTitleCase("KING'S COLLEGE HOSPITAL NHS FOUNDATION TRUST")).toBe(
      "King's College Hospital NHS Foundation Trust",
    );
    expect(odsTitleCase('NEWCASTLE-UNDER-LYME')).toBe('Newcastle-under-Lyme');
    expect(odsTitleCase('NHS NORTH EAST LONDON ICB - A3A8R')).toBe('NHS North East London ICB - A3A8R');
    expect(odsTitleCase('CITY AND HACKNEY - SUB-ICB REPORTING ENTITY')).toBe(
      'City and Hackney - Sub-ICB Reporting Entity',
    );
    expect(odsTitleCase('THE ROYAL LONDON HOSPITAL')).toBe('The Royal London Hospital');
    expect(odsTitleCase('NHS Cheshire and Merseyside Integrated Care Board')).toBe(
      'NHS Cheshire and Merseyside Integrated Care Board',
    );
  });

  it('reads ODS dates and rejects impossible ones', () => {
    expect(odsDate('20240930')).toBe('2024-09-30');
    expect(odsDate('')).toBeNull();
    expect(odsDate('20230229')).toBeUndefined();
    expect(odsDate('2024-09-30')).toBeUndefined();
  });

  it('tells ICB codes from pre-2022 area-team and commissioning-region codes', () => {
    expect(geographyOf('QHM')).toEqual({ icb: 'QHM' });
    expect(geographyOf('QE1')).toEqual({ icb: 'QE1' });
    expect(geographyOf('Q71')).toEqual({ legacy: 'Q71' });
    expect(geographyOf(null)).toBeNull();
  });
});
