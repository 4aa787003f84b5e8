import type { ColumnMap } from './import-mapping.ts';
import type { RowError, StaffRow } from './import-values.ts';

/**
 * The rules that span rows, fed one row at a time while the file streams: duplicate assignment numbers,
 * one email address for two people, supervisors that exist nowhere, and line-management cycles.
 * Holds only a few strings per row, so a national file fits comfortably in memory.
 */
export class CrossRowChecks {
  // Row i of the file (in arrival order) has lines[i], supervisors[i] and persons[i]; the maps point into them.
  private indexOf = new Map<string, number>();
  private lines: number[] = [];
  private supervisors: (string | null)[] = [];
  private persons: string[] = [];
  private emailRow = new Map<string, number>();

  constructor(private columns: ColumnMap) {}

  /** Record a row; returns the problems it has with rows seen before it. */
  add(row: StaffRow): RowError[] | null {
    const asg = row.assignment_number;
    if (asg === null) return null;
    const first = this.indexOf.get(asg);
    if (first !== undefined) {
      return [
        {
          line: row.line,
          column: this.columns.header.assignment_number ?? null,
          message: `assignment number ${asg} is already on line ${this.lines[first]}`,
        },
      ];
    }
    const i = this.lines.length;
    this.indexOf.set(asg, i);
    this.lines.push(row.line);
    this.supervisors.push(row.supervisor);
    // Two rows are the same person when they share an employee number.
    this.persons.push(row.staff_number ?? asg);
    if (row.email === null) return null;
    const key = row.email.toLowerCase();
    const owner = this.emailRow.get(key);
    if (owner === undefined) {
      this.emailRow.set(key, i);
      return null;
    }
    if (this.persons[owner] === this.persons[i]) return null;
    return [
      {
        line: row.line,
        column: this.columns.header.email ?? null,
        message: `email address ${row.email} is already used on line ${this.lines[owner]} for another employee`,
      },
    ];
  }

  /** Supervisors named in the file that are not rows of the file: they must exist in the organisation. */
  outsideSupervisors(): string[] {
    const out = new Set<string>();
    for (const sup of this.supervisors) if (sup !== null && !this.indexOf.has(sup)) out.add(sup);
    return [...out];
  }

  missingSupervisors(existing: Set<string>): RowError[] {
    const errors: RowError[] = [];
    for (let i = 0; i < this.supervisors.length; i++) {
      const sup = this.supervisors[i];
      if (sup === null || this.indexOf.has(sup) || existing.has(sup)) continue;
      errors.push({
        line: this.lines[i],
        column: this.columns.header.supervisor ?? null,
        message: `supervisor assignment ${sup} is neither in the file nor an assignment of the organisation`,
      });
    }
    return errors;
  }

  /**
   * Rows whose line of management loops back on itself. `outside` holds the reporting lines of the
   * organisation's open assignments that the file does not mention, which the import leaves as they are.
   */
  cycles(outside: Map<string, string>): RowError[] {
    const next = (a: string): string | undefined => {
      const i = this.indexOf.get(a);
      if (i === undefined) return outside.get(a);
      return this.supervisors[i] ?? undefined;
    };
    // 0: finished; k > 0: on the path of walk k. One map and one path array for the whole graph.
    const mark = new Map<string, number>();
    const path: string[] = [];
    const errors: RowError[] = [];
    let walk = 0;
    for (const start of this.indexOf.keys()) {
      if (mark.has(start)) continue;
      walk++;
      path.length = 0;
      let cur: string | undefined = start;
      while (cur !== undefined && !mark.has(cur)) {
        mark.set(cur, walk);
        path.push(cur);
        cur = next(cur);
      }
      if (cur !== undefined && mark.get(cur) === walk) {
        const loop = path.slice(path.indexOf(cur));
        const shown = [...loop, loop[0]].join(' → ');
        for (const asg of loop) {
          const i = this.indexOf.get(asg);
          if (i === undefined) continue;
          errors.push({
            line: this.lines[i],
            column: this.columns.header.supervisor ?? null,
            message: `line-management cycle: ${shown}`,
          });
        }
      }
      for (const a of path) mark.set(a, 0);
    }
    return errors.sort((a, b) => a.line - b.line);
  }
}
