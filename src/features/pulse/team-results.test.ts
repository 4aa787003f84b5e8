import { describe, expect, it } from 'vitest';
import { emptySums, type Sums } from './pulse.ts';
import { type TeamNode, teamFigures } from './team-results.ts';
import { decisionsToStore, storedAggregate, storedOwn } from './team-store.ts';

const sums = (n: number, upward = 2): Sums => ({ ...emptySums(), responses: n, upward: upward * n, meetings: 10 * n });

describe('pulse figures by team under disclosure control', () => {
  // Surgery > (Theatres, Wards); Pharmacy; minimum 8.
  const teams: TeamNode[] = [
    { id: 1, parentId: null, name: 'Surgery' },
    { id: 2, parentId: 1, name: 'Theatres' },
    { id: 3, parentId: 1, name: 'Wards' },
    { id: 4, parentId: null, name: 'Pharmacy' },
  ];

  it('counts a team with the teams under it, and hides parts so that none can be found by subtraction', () => {
    // Surgery itself 3, Theatres 10, Wards 7; Pharmacy 8; 2 managers in no team: 30 in all.
    const direct = new Map([
      [1, sums(3)],
      [2, sums(10)],
      [3, sums(7)],
      [4, sums(8)],
    ]);
    const r = teamFigures(teams, sums(30), direct, 8);
    expect(r.org).toMatchObject({ responses: 30, suppressed: false });
    const shown = (id: number) => !r.teams.get(id)!.aggregate.suppressed;
    // Surgery (20) is shown. Pharmacy has 8 but is hidden with the 2 in no team: otherwise 30 − 20 − 8 = 2.
    expect(shown(1)).toBe(true);
    expect(r.teams.get(1)!.aggregate.responses).toBe(20);
    expect(shown(4)).toBe(false);
    expect(r.rest.suppressed).toBe(true);
    // In Surgery: Wards (7) is hidden, and with it Surgery's own 3 (7 + 3 ≥ 8); Theatres (10) stays shown.
    expect(shown(2)).toBe(true);
    expect(shown(3)).toBe(false);
    expect(r.teams.get(1)!.own.suppressed).toBe(true);
  });

  it('hides a team at or above the minimum when its sibling is small, and everything under a hidden team', () => {
    const direct = new Map([
      [2, sums(9)],
      [3, sums(1)],
      [4, sums(9)],
    ]);
    const r = teamFigures(teams, sums(19), direct, 8);
    // Surgery 10 is shown, but Theatres (9) must hide with Wards (1): 10 − 9 would be one person.
    expect(r.teams.get(1)!.aggregate.suppressed).toBe(false);
    expect(r.teams.get(2)!.aggregate.suppressed).toBe(true);
    expect(r.teams.get(3)!.aggregate.suppressed).toBe(true);
    // When the organisation is hidden in its ICB's figures, every team is hidden too.
    const hidden = teamFigures(teams, sums(19), direct, 8, true);
    expect([...hidden.teams.values()].every((t) => t.aggregate.suppressed)).toBe(true);
    expect(hidden.org.suppressed).toBe(true);
  });

  it('never leaves a shown unit whose hidden parts hold between 1 and minimum − 1 answers (random trees)', () => {
    let seed = 7;
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % k;
    };
    for (let trial = 0; trial < 300; trial++) {
      const nodes: TeamNode[] = [];
      const n = 1 + rand(12);
      for (let i = 1; i <= n; i++)
        nodes.push({ id: i, parentId: i > 1 && rand(3) > 0 ? 1 + rand(i - 1) : null, name: `T${i}` });
      const direct = new Map(nodes.map((t) => [t.id, sums(rand(4) === 0 ? 0 : rand(12))]));
      const noTeam = rand(5);
      const total = [...direct.values()].reduce((s, x) => s + x.responses, 0) + noTeam;
      const r = teamFigures(nodes, sums(total), direct, 8);
      // One team's page computes only the way down to it, and must decide exactly as the whole tree does.
      const focus = 1 + rand(n);
      const focused = teamFigures(nodes, sums(total), direct, 8, false, focus);
      for (const id of [focus, ...nodes.filter((t) => t.parentId === focus).map((t) => t.id)]) {
        expect(focused.teams.get(id)!.aggregate).toEqual(r.teams.get(id)!.aggregate);
      }
      expect(focused.teams.get(focus)!.own).toEqual(r.teams.get(focus)!.own);
      const units: { n: number; shown: boolean; parts: { n: number; shown: boolean }[] }[] = [];
      const kids = (p: number | null) => nodes.filter((t) => t.parentId === p);
      const fig = (id: number) => r.teams.get(id)!;
      units.push({
        n: total,
        shown: !r.org.suppressed,
        parts: [
          ...kids(null).map((t) => ({ n: fig(t.id).aggregate.responses, shown: !fig(t.id).aggregate.suppressed })),
          { n: r.rest.responses, shown: !r.rest.suppressed },
        ],
      });
      for (const t of nodes) {
        const f = fig(t.id);
        units.push({
          n: f.aggregate.responses,
          shown: !f.aggregate.suppressed,
          parts: [
            ...kids(t.id).map((c) => ({ n: fig(c.id).aggregate.responses, shown: !fig(c.id).aggregate.suppressed })),
            { n: f.own.responses, shown: !f.own.suppressed },
          ],
        });
        // Under a hidden team nothing is shown.
        if (f.aggregate.suppressed) for (const c of kids(t.id)) expect(fig(c.id).aggregate.suppressed).toBe(true);
      }
      for (const u of units) {
        if (!u.shown) continue;
        expect(u.n).toBeGreaterThanOrEqual(8);
        const hiddenSum = u.parts.filter((p) => !p.shown).reduce((s, p) => s + p.n, 0);
        expect(hiddenSum === 0 || hiddenSum >= 8).toBe(true);
        for (const p of u.parts) if (p.shown && p.n > 0) expect(p.n).toBeGreaterThanOrEqual(8);
      }
    }
  });

  it('gives the same figures from the stored decisions as computed live (random trees, odd hours)', () => {
    let x = 11;
    const rand = (k: number) => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % k;
    };
    const odd = (n: number): Sums => {
      const s = { ...emptySums(), responses: n };
      for (const c of ['upward', 'meetings', 'people_mgmt', 'improvement', 'operational', 'other'] as const)
        s[c] = Array.from({ length: n }, () => rand(1000) / 10).reduce((a, b) => Math.round((a + b) * 10) / 10, 0);
      return s;
    };
    let ownShown = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rand(15);
      const nodes: TeamNode[] = [];
      for (let i = 1; i <= n; i++)
        nodes.push({ id: 100 + i, parentId: i > 1 && rand(3) > 0 ? 100 + 1 + rand(i - 1) : null, name: `T${rand(5)}` });
      const direct = new Map(
        nodes.filter(() => rand(4) > 0).map((t) => [t.id, odd(rand(4) === 0 ? rand(6) : 6 + rand(20))]),
      );
      const noTeam = odd(rand(4));
      const total = emptySums();
      for (const b of [...direct.values(), noTeam]) {
        total.responses += b.responses;
        for (const c of ['upward', 'meetings', 'people_mgmt', 'improvement', 'operational', 'other'] as const)
          total[c] = Math.round((total[c] + b[c]) * 10) / 10;
      }
      const minimum = 3 + rand(6);
      const orgHidden = rand(5) === 0;
      const stored = new Map(decisionsToStore(nodes, total, direct, minimum).map((r) => [r.teamId, r]));
      for (const focus of nodes) {
        const live = teamFigures(nodes, total, direct, minimum, orgHidden, focus.id);
        const kids = nodes.filter((t) => t.parentId === focus.id);
        const mine = storedAggregate(stored.get(focus.id), minimum, orgHidden);
        expect(mine).toEqual(live.teams.get(focus.id)!.aggregate);
        for (const k of kids)
          expect(storedAggregate(stored.get(k.id), minimum, orgHidden)).toEqual(live.teams.get(k.id)!.aggregate);
        if (!mine.suppressed) {
          const own = storedOwn(
            stored.get(focus.id)!,
            kids.map((k) => stored.get(k.id)),
            minimum,
          );
          expect(own).toEqual(live.teams.get(focus.id)!.own);
          if (!own.suppressed) ownShown++;
        }
      }
    }
    // The comparison covered shown figures, not only hidden ones.
    expect(ownShown).toBeGreaterThan(50);
  });
});
