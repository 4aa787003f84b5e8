import { describe, expect, it } from 'vitest';
import { CrossRowChecks } from './import-checks.ts';
import { parseMappingSpec, resolveColumns } from './import-mapping.ts';
import { checkRow, normaliseBand, normaliseStaffGroup, parseDate, parseWte } from './import-values.ts';

describe('staff file values', () => {
  it('normalises Agenda for Change bands as ESR and spreadsheets write them', () => {
    const cases: [string, string | null][] = [
      ['Band 8a', '8a'],
      ['AfC Band 7', '7'],
      ['8A', '8a'],
      ['band 5', '5'],
      ['Band 8 - Range B', '8b'],
      ['Agenda for Change Band 9', '9'],
      ['05', '5'],
      ['VSM', 'VSM'],
      ['Very Senior Manager', 'VSM'],
      ['Band 10', null],
      ['8e', null],
      ['Consultant', null],
    ];
    for (const [text, band] of cases) expect(normaliseBand(text), text).toBe(band);
  });

  it('reads staff groups by code or name, including ESR’s abbreviations', () => {
    expect(normaliseStaffGroup('3')).toBe('03');
    expect(normaliseStaffGroup('03')).toBe('03');
    expect(normaliseStaffGroup('Nursing & Midwifery Registered')).toBe('03');
    expect(normaliseStaffGroup('Add Prof Scientific and Technic')).toBe('05');
    expect(normaliseStaffGroup('08 Administrative and Clerical')).toBe('08');
    expect(normaliseStaffGroup('08 Estates and Ancillary')).toBeNull();
    expect(normaliseStaffGroup('11')).toBeNull();
    expect(normaliseStaffGroup('Porters')).toBeNull();
  });

  it('reads DD/MM/YYYY, DD-MON-YYYY and YYYY-MM-DD dates and refuses impossible ones', () => {
    expect(parseDate('01/04/2020')).toBe('2020-04-01');
    // Oracle's form, in ESR's interface files: any case, the month abbreviated or whole.
    expect(parseDate('01-APR-2020')).toBe('2020-04-01');
    expect(parseDate('1-Sep-2021')).toBe('2021-09-01');
    expect(parseDate('15-sept-2021')).toBe('2021-09-15');
    expect(parseDate('31 December 2022')).toBe('2022-12-31');
    expect(parseDate('29-FEB-2023')).toBeNull();
    expect(parseDate('31-APR-2020')).toBeNull();
    expect(parseDate('01-ABC-2020')).toBeNull();
    expect(parseDate('01-APR-20')).toBeNull();
    expect(parseDate('1/4/2020')).toBe('2020-04-01');
    expect(parseDate('2020-04-01')).toBe('2020-04-01');
    expect(parseDate('29/02/2024')).toBe('2024-02-29');
    expect(parseDate('29/02/2023')).toBeNull();
    expect(parseDate('2020-13-01')).toBeNull();
    expect(parseDate('04/01/20')).toBeNull();
  });

  it('accepts whole-time equivalents from 0 to 1.5', () => {
    expect(parseWte('1')).toBe('1');
    expect(parseWte('0.6')).toBe('0.6');
    expect(parseWte('.5')).toBe('.5');
    expect(parseWte('1.6')).toBeNull();
    expect(parseWte('-1')).toBeNull();
    expect(parseWte('full')).toBeNull();
    // A decimal comma, from a semicolon-separated file saved on a European setting.
    expect(parseWte('0,6')).toBe('0.6');
    expect(parseWte('1,50')).toBe('1.50');
    expect(parseWte('1,6')).toBeNull();
    expect(parseWte('0,6,1')).toBeNull();
  });
});

describe('column mapping', () => {
  it('matches default headers regardless of case and punctuation, and lets a mapping win', () => {
    const { mapping } = parseMappingSpec('Emp No=staff_number\nTeam Name=team');
    const { columns, errors } = resolveColumns(
      [
        'ASSIGNMENT NUMBER',
        'Emp No',
        'first name',
        'Last-Name',
        'Position Title',
        'Team Name',
        'Organisation',
        'Assignment Start Date',
      ],
      mapping,
    );
    expect(errors).toEqual([]);
    expect(columns.index).toMatchObject({
      assignment_number: 0,
      staff_number: 1,
      given_name: 2,
      family_name: 3,
      team: 5,
    });
    expect(columns.header.team).toBe('Team Name');
  });

  it('explains a mapping it cannot use and a missing required column', () => {
    expect(parseMappingSpec('Emp No').errors).toEqual(['"Emp No" is not in the form Their Header=field']);
    expect(parseMappingSpec('A=b').errors[0]).toContain('"b" is not a field we import');
    const { errors } = resolveColumns(['First Name'], parseMappingSpec('Nope=staff_number').mapping);
    expect(errors[0]).toBe(
      'the mapping names a column "Nope" (for staff_number) that is not in the file\'s header row',
    );
    expect(errors).toContain(
      'no column for Assignment number (required): name it "Assignment Number" or map your column with "Your Header=assignment_number"',
    );
  });
});

describe('rows and the rules across them', () => {
  const header = [
    'Assignment Number',
    'Employee Number',
    'First Name',
    'Last Name',
    'Email Address',
    'Position Title',
    'Supervisor Assignment Number',
    'Assignment Start Date',
  ];
  const { columns } = resolveColumns(header, []);
  const row = (line: number, cells: string[]) => checkRow(cells, line, columns);

  it('names the file’s own column in each problem', () => {
    const { row: r, errors } = row(2, ['A1', 'E1', 'Ann', '', 'not-an-email', 'Nurse', 'A1', '2020-01-01']);
    expect(r.valid).toBe(false);
    expect(errors).toEqual([
      {
        line: 2,
        column: 'Supervisor Assignment Number',
        message: 'line-management cycle: the assignment is its own supervisor',
      },
      { line: 2, column: 'Email Address', message: '"not-an-email" is not an email address' },
      { line: 2, column: 'Last Name', message: 'Last name is missing' },
    ]);
  });

  it('refuses a line whose values have moved along, and says why a short line lacks a value', () => {
    // "Ward Nurse, Band 5" without quotes: every value after the comma would be read from the column before it.
    const shifted = row(3, ['A3', 'E3', 'Cy', 'Jones', 'cy@example.nhs.uk', 'Ward Nurse', ' Band 5', '', '2020-01-01']);
    expect(shifted.row.valid).toBe(false);
    expect(shifted.errors).toContainEqual({
      line: 3,
      column: null,
      message:
        'the line has 9 values where the header row has 8 columns: put any value with a comma in it in double quotes',
    });
    // When the values pushed out are empty the line looks like one with trailing commas, so those count too.
    const trailing = row(4, ['A4', 'E4', 'Di', 'Khan', '', 'Porter', '', '2020-01-01', '', ' ']);
    expect(trailing.errors).toEqual([
      {
        line: 4,
        column: null,
        message:
          'the line has 10 values where the header row has 8 columns: remove the commas after its last value, and put any value with a comma in it in double quotes',
      },
    ]);
    // A line broken by an unquoted line break ends early.
    const short = row(5, ['A5', 'E5', 'Ed', 'Lee', '', 'Porter']);
    expect(short.errors).toEqual([
      {
        line: 5,
        column: 'Assignment Start Date',
        message: 'Assignment start date is missing: the line has 6 values where the header row has 8 columns',
      },
    ]);
  });

  it('finds duplicates, shared emails, missing supervisors and cycles through the organisation’s own lines', () => {
    const checks = new CrossRowChecks(columns);
    const rows = [
      ['A1', 'E1', 'Ann', 'One', 'ann@nhs.net', 'Lead', '', '2020-01-01'],
      ['A2', 'E2', 'Bob', 'Two', 'ann@nhs.net', 'Nurse', 'A1', '2020-01-01'],
      ['A1', 'E3', 'Cat', 'Three', '', 'Nurse', '', '2020-01-01'],
      ['A4', 'E1', 'Ann', 'One', 'ann@nhs.net', 'Second job', 'X9', '2020-01-01'],
      ['A5', 'E5', 'Dan', 'Five', '', 'Nurse', 'OUT1', '2020-01-01'],
    ].map((cells, i) => row(i + 2, cells).row);
    const found = rows.flatMap((r) => checks.add(r) ?? []);
    expect(found.map((e) => [e.line, e.message])).toEqual([
      [3, 'email address ann@nhs.net is already used on line 2 for another employee'],
      [4, 'assignment number A1 is already on line 2'],
    ]);
    expect(checks.outsideSupervisors().sort()).toEqual(['OUT1', 'X9']);
    expect(checks.missingSupervisors(new Set(['OUT1'])).map((e) => e.line)).toEqual([5]);
    // OUT1 (not in the file) reports to A5, which reports to OUT1: a loop through the organisation's data.
    const cycles = checks.cycles(new Map([['OUT1', 'A5']]));
    expect(cycles).toEqual([
      { line: 6, column: 'Supervisor Assignment Number', message: 'line-management cycle: A5 → OUT1 → A5' },
    ]);
  });
});
