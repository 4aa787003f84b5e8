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
   * Walks row numbers rather than assignment numbers: one map look-up per row, then arrays only.
   */
  cycles(outside: Map<string, string>): RowError[] {
    const n = this.lines.length;
    // Nodes 0..n-1 are the file's rows (in arrival order, as indexOf numbers them); assignments outside the
    // file get numbers from n on as the walks meet them.
    const names = [...this.indexOf.keys()];
    const outsideIds = new Map<string, number>();
    const idOf = (a: string): number => {
      const i = this.indexOf.get(a);
      if (i !== undefined) return i;
      let o = outsideIds.get(a);
      if (o === undefined) {
        o = names.length;
        names.push(a);
        outsideIds.set(a, o);
      }
      return o;
    };
    const nextOf: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const sup = this.supervisors[i];
      nextOf[i] = sup === null ? -1 : idOf(sup);
    }
    const next = (id: number): number => {
      if (id < n) return nextOf[id];
      const sup = outside.get(names[id]);
      return sup === undefined ? -1 : idOf(sup);
    };
    // 0: not seen; -1: finished; k > 0: on the path of walk k. One array and one path for the whole graph.
    const mark: number[] = new Array(n).fill(0);
    const path: number[] = [];
    const errors: RowError[] = [];
    let walk = 0;
    for (let start = 0; start < n; start++) {
      if (mark[start] !== 0) continue;
      walk++;
      path.length = 0;
      let cur = start;
      while (cur !== -1 && !(mark[cur] ?? 0)) {
        mark[cur] = walk;
        path.push(cur);
        cur = next(cur);
      }
      if (cur !== -1 && mark[cur] === walk) {
        const loop = path.slice(path.indexOf(cur));
        const shown = [...loop, loop[0]].map((id) => names[id]).join(' → ');
        for (const id of loop) {
          if (id >= n) continue;
          errors.push({
            line: this.lines[id],
            column: this.columns.header.supervisor ?? null,
            message: `line-management cycle: ${shown}`,
          });
        }
      }
      for (const id of path) mark[id] = -1;
    }
    return errors.sort((a, b) => a.line - b.line);
  }
}
