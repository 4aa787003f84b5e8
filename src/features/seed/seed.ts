import type { Deps } from '../../deps.ts';
import { audit } from '../../plugins/audit.ts';
import { refreshOrganisationStats } from '../dashboard/queries.ts';
import { loadBundledOds } from '../organisations/ods.ts';
import { seedExtensions } from '../seed-extensions.ts';
import {
  assignmentColumns,
  assignmentLine,
  copyRows,
  personColumns,
  personLine,
  teamColumns,
  teamLine,
} from './copy.ts';
import type { SeedExtension } from './extension.ts';
import { dayOf, generateTrust, isoDay, type Notable } from './generate.ts';
import { buildPersonas } from './personas.ts';
import {
  advanceIdentity,
  analyse,
  deleteSynthetic,
  dropForeignKeys,
  insertPersona,
  lastId,
  lockForSeeding,
  openTrusts,
  peopleCounts,
  type ResetCounts,
  restoreForeignKeys,
  setDemoData,
  syntheticDependents,
  type TrustRow,
} from './queries.ts';
import { demoSize, nationalSizes } from './trusts.ts';

export type Scale = 'demo' | 'region' | 'national';

export interface SeedOptions {
  scale: Scale;
  seed: number;
  /** Replace the data of an earlier seed; without it, seeding a database that has people is refused. */
  reset?: boolean;
  /** An ICB code (demo) or region code (region) instead of the default area. */
  area?: string;
  log?: (m: string) => void;
  /** Called as trusts are loaded, in staff (people in post). */
  progress?: (done: number, total: number) => void;
  /** Feature data to add after the staff; default: every registered extension. */
  extensions?: SeedExtension[];
}

/** Demo: NHS Devon ICB (five trusts: acute, mental health and the regional ambulance service). */
export const DEMO_ICB = 'QJK';
/** Region: North West (about 200,000 staff in 31 trusts). */
export const DEMO_REGION = 'Y62';

export class SeedRefusedError extends Error {}

export interface SeedSummary {
  trusts: number;
  teams: number;
  people: number;
  leavers: number;
  personas: number;
  area: string;
}

function pickArea(trusts: TrustRow[], scale: Scale, area?: string): { trusts: TrustRow[]; label: string } {
  if (scale === 'national') return { trusts, label: 'England' };
  const key = scale === 'demo' ? 'icbCode' : 'regionCode';
  const code = area ?? (scale === 'demo' ? DEMO_ICB : DEMO_REGION);
  let chosen = trusts.filter((t) => t[key] === code);
  if (chosen.length === 0 && area)
    throw new SeedRefusedError(`No open trusts found in ${key === 'icbCode' ? 'ICB' : 'region'} ${area}`);
  if (chosen.length === 0) {
    // A database without the default area (a test, or other ODS data): take the area with the most trusts.
    const counts = new Map<string, number>();
    for (const t of trusts) if (t[key]) counts.set(t[key], (counts.get(t[key]) ?? 0) + 1);
    const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (!best) throw new SeedRefusedError('No open trusts are placed in an ICB and region; load the ODS data first');
    chosen = trusts.filter((t) => t[key] === best[0]);
  }
  return { trusts: chosen, label: `${scale === 'demo' ? 'ICB' : 'region'} ${chosen[0][key]}` };
}

async function trustsOrLoadOds(deps: Deps, log: (m: string) => void): Promise<TrustRow[]> {
  let trusts = await openTrusts(deps.db);
  if (trusts.length === 0) {
    log(`Loading the bundled NHS organisations first: ${await loadBundledOds(deps.db)}`);
    trusts = await openTrusts(deps.db);
  }
  if (trusts.length === 0) throw new SeedRefusedError('There are no open trusts to put synthetic staff in');
  return trusts;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Synthetic staff on the real NHS organisations in the database: teams, people and assignments with line
 * management, loaded with COPY in one transaction. The same seed (on the same day) gives the same data.
 */
export async function seed(deps: Deps, opts: SeedOptions): Promise<SeedSummary> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const stage: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const t = Date.now();
    try {
      return await f();
    } finally {
      stage[name] = (stage[name] ?? 0) + Date.now() - t;
    }
  };

  const all = await timed('organisations', () => trustsOrLoadOds(deps, log));
  const area = pickArea(all, opts.scale, opts.area);
  const national = nationalSizes(
    all.map((t) => ({ id: t.id, code: t.code, name: t.name, regionCode: t.regionCode })),
    opts.seed,
  );
  const sizes = area.trusts.map((t) => (opts.scale === 'demo' ? demoSize(national.get(t.id)!) : national.get(t.id)!));
  const total = sizes.reduce((a, b) => a + b, 0);
  const today = dayOf(deps.clock.now());
  log(
    `Seeding ${opts.scale} scale (seed ${opts.seed}): ${area.trusts.length} trusts in ${area.label}, ~${total.toLocaleString('en-GB')} staff in post`,
  );

  const summary: SeedSummary = {
    trusts: area.trusts.length,
    teams: 0,
    people: 0,
    leavers: 0,
    personas: 0,
    area: area.label,
  };
  const extensions = opts.extensions ?? seedExtensions;
  let removed: ResetCounts | undefined;
  // A reset first lets each feature clear its own synthetic data its own way, with every key in place.
  if (opts.reset) for (const extension of [...extensions].reverse()) await extension.remove?.(deps);
  const client = await deps.pool.connect();
  try {
    await client.query('BEGIN');
    await lockForSeeding(client);
    const existing = await peopleCounts(client);
    if (!opts.reset && existing.all > 0) {
      throw new SeedRefusedError(
        `The database already has ${existing.all.toLocaleString('en-GB')} people (${existing.synthetic.toLocaleString('en-GB')} synthetic). ` +
          'Seeding adds synthetic staff only to a database without people; run it with --reset to replace earlier synthetic data (real staff are kept).',
      );
    }
    // Dropped before the reset too: deleting a million assignments would otherwise check each key row by row.
    const dependents = opts.reset ? await syntheticDependents(client) : [];
    const foreignKeys = await timed('foreign keys', () => dropForeignKeys(client));
    if (opts.reset) {
      removed = await timed('reset', () => deleteSynthetic(client, dependents));
      log(
        `Removed earlier synthetic data: ${removed.people.toLocaleString('en-GB')} people, ${removed.teams.toLocaleString('en-GB')} teams, ${removed.accounts} demo accounts`,
      );
    }

    const next = { team: await lastId(client, 'teams'), person: await lastId(client, 'people') };
    const firstAssignment = await lastId(client, 'assignments');
    let staffOrdinal = 0;
    let done = 0;
    let firstNotable: { id: number; notable: Notable } | undefined;
    for (const [i, trust] of area.trusts.entries()) {
      const data = await timed('generate', () =>
        generateTrust(trust, sizes[i], {
          seed: opts.seed,
          today,
          firstTeamId: next.team + 1,
          firstPersonId: next.person + 1,
          firstAssignmentId: firstAssignment + summary.people + 1,
          staffOrdinal,
        }),
      );
      await timed('copy teams', () => copyRows(client, 'teams', teamColumns, data.teams, teamLine));
      await timed('copy people', () => copyRows(client, 'people', personColumns, data.people, personLine));
      await timed('copy assignments', () =>
        copyRows(client, 'assignments', assignmentColumns, data.assignments, assignmentLine),
      );
      next.team += data.teams.length;
      next.person += data.people.length;
      staffOrdinal += data.people.length;
      summary.teams += data.teams.length;
      summary.people += data.people.length;
      summary.leavers += data.assignments.filter((a) => a.endDate !== null).length;
      if (!firstNotable && data.notable.lineManager && data.notable.orgAdmin) {
        firstNotable = { id: trust.id, notable: data.notable };
      }
      done += sizes[i];
      opts.progress?.(done, total);
    }
    await timed('analyse', () => analyse(client));
    await timed('foreign keys', () => restoreForeignKeys(client, foreignKeys));
    await advanceIdentity(client, 'teams', next.team);
    await advanceIdentity(client, 'people', next.person);
    await advanceIdentity(client, 'assignments', firstAssignment + summary.people);

    if (opts.scale === 'demo') {
      if (!firstNotable) throw new Error('No demo trust was large enough to provide the demo personas');
      const home = area.trusts.find((t) => t.id === firstNotable.id)!;
      const personas = buildPersonas({
        seed: opts.seed,
        trust: firstNotable,
        icbId: home.icbId,
        regionId: home.regionId,
      });
      await timed('personas', async () => {
        for (const p of personas) await insertPersona(client, p);
      });
      summary.personas = personas.length;
    }
    await timed('commit', () => client.query('COMMIT'));
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }

  // It writes people and demo accounts with admin grants: an admin action like any other.
  await audit(
    deps.db,
    { label: 'leadwell seed' },
    {
      action: 'seed.run',
      details: {
        scale: opts.scale,
        seed: opts.seed,
        area: area.label,
        people: summary.people,
        teams: summary.teams,
        personas: summary.personas,
        ...(removed && { removed }),
      },
    },
  );
  await setDemoData(deps.db, opts.scale === 'demo');
  await timed('dashboard stats', () => refreshOrganisationStats(deps.db, isoDay(today)));
  for (const extension of [...extensions].reverse()) await extension.remove?.(deps);
  for (const extension of extensions) {
    const said = await timed(extension.name, () =>
      extension.run(deps, {
        scale: opts.scale,
        seed: opts.seed,
        organisationIds: area.trusts.map((t) => t.id),
        today: isoDay(today),
        log,
      }),
    );
    log(`${extension.name}: ${said}`);
  }

  const inPost = summary.people - summary.leavers;
  log(
    `Seeded ${summary.people.toLocaleString('en-GB')} people (${inPost.toLocaleString('en-GB')} in post, ${summary.leavers.toLocaleString('en-GB')} leavers in the last year), ` +
      `${summary.teams.toLocaleString('en-GB')} teams in ${summary.trusts} trusts` +
      (summary.personas ? `, ${summary.personas} demo personas` : '') +
      ` in ${seconds(Date.now() - started)}.`,
  );
  log(
    `Timings: ${Object.entries(stage)
      .map(([k, v]) => `${k} ${seconds(v)}`)
      .join(', ')}`,
  );
  return summary;
}
