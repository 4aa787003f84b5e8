import { describe, expect, it } from 'vitest';
import { type CsvMalformed, csvLine, fileDate, readCsv, shiftedRow } from './csv.ts';

describe('readCsv', () => {
  it('gives each row the line it starts on, across quoted line breaks, CRLF and blank lines', () => {
    const text = '\uFEFFcode,name\r\nA," one\r\ntwo "\r\n\r\nB,three\r\n';
    expect(readCsv(text)).toEqual([
      { line: 1, cells: ['code', 'name'] },
      { line: 2, cells: ['A', 'one\r\ntwo'] },
      { line: 5, cells: ['B', 'three'] },
    ]);
  });

  it('counts the lines of the file even where papaparse drops what follows a closing quote', () => {
    // A file with CRLF rows and one stray LF after a quoted field: the row after it is on line 4.
    expect(readCsv('a,b\r\n"x"\n,y\r\nc,d\r\n').map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('reports rows papaparse could not read cleanly only to a caller that asks', () => {
    const text = 'a,b\n"x"y,1\n2,3\n';
    const problems: CsvMalformed[] = [];
    const rows = readCsv(text, (p) => problems.push(p));
    expect(rows.map((r) => r.line)).toEqual([1, 2]);
    expect(problems).toEqual([
      { line: 2, message: 'Trailing quote on quoted field is malformed' },
      { line: 2, message: 'Quoted field unterminated' },
    ]);
    expect(readCsv(text)).toEqual(rows);
  });

  it('writes fields a spreadsheet cannot run as formulas', () => {
    expect(csvLine(['=SUM(A1)', '-5', 'a,b', null])).toBe(`'=SUM(A1),-5,"a,b",`);
  });
});

describe('values as files write them', () => {
  it('reads dates in the three forms imports meet, and only real calendar dates', () => {
    expect(fileDate('01/04/2020')).toBe('2020-04-01');
    expect(fileDate('1/4/2020')).toBe('2020-04-01');
    expect(fileDate('01-APR-2020')).toBe('2020-04-01');
    expect(fileDate('1 april 2020')).toBe('2020-04-01');
    expect(fileDate('2020-04-01')).toBe('2020-04-01');
    expect(fileDate('2020-4-1')).toBe('2020-04-01');
    expect(fileDate('29/02/2024')).toBe('2024-02-29');
    for (const bad of [
      '29/02/2023',
      '31-JUN-2020',
      '2020-13-01',
      '00/01/2020',
      '01/04/20',
      '01-XYZ-2020',
      'soon',
      '',
    ]) {
      expect(fileDate(bad), bad).toBeNull();
    }
  });

  it('finds a row with more values than its header has columns', () => {
    expect(shiftedRow(['a', 'b'], 2)).toBeNull();
    expect(shiftedRow(['a'], 2)).toBeNull();
    expect(shiftedRow(['a', 'b', 'c'], 2)).toBe(
      'the line has 3 values where the header row has 2 columns: put any value with a comma in it in double quotes',
    );
    expect(shiftedRow(['a', 'b', ''], 2)).toContain('remove the commas after its last value');
  });
});
