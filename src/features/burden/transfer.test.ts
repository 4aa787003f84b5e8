import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeAccount, makeHierarchy } from '../../../test/factories.ts';
import { signedIn, testApp } from '../../../test/helpers.ts';
import { commands as allCommands } from '../commands.ts';
import { commands } from './commands.ts';
import { ensurePayScales } from './pay-scales.ts';
import { captureIO } from './testing.ts';
import { exportRegister, importRegister } from './transfer.ts';

const ctx = await testApp();
const { db } = ctx.deps;
const a = await makeHierarchy(db, '61');
const b = await makeHierarchy(db, '62');
const national = await makeAccount(db, { grants: [{ role: 'national_admin', orgId: null }] });
const orgAdminAccount = await makeAccount(db, { grants: [{ role: 'org_admin', orgId: a.trust.id }] });
const run = (name: string) => commands.find((c) => c.name === name)!;
const dir = await mkdtemp(path.join(os.tmpdir(), 'leadwell-burden-'));

const header =
  'name,requesting_body,legal_basis,mandatory,approval_ref,frequency,ad_hoc_cycles,deadline_rule,submission_route,start_date,sunset_date,scope,scope_org_code,owner_org_code,data_items';
const goodCsv = [
  header,
  'Workforce monthly,NHS England national team,"NHS Act 2006, s.13",yes,DAPB3001,monthly,,15th working day,SDCS,2024-04-01,,national,,,Staff in post | Vacancies',
  `Winter sitrep,nhse_regional,Direction,no,,Weekly,,Thursday noon,Email,01/11/2025,31/03/2026,regional,${a.region.code},,Beds open|Escalation level`,
  `Board pack extract,icb,None stated,no,,ad hoc,6,Ten days before the board,Shared drive,2025-01-01,,local,${a.trust.code},${a.icb.code},`,
].join('\n');

const count = async () =>
  Number(
    (
      await db
        .selectFrom('burden_returns')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('importing the register', () => {
  it('reports every bad row with its line and imports nothing', async () => {
    const bad = [
      header,
      'Fine return,cqc,Regulation,yes,,annual,,31 May,Portal,2025-04-01,,national,,,A',
      'Bad body,ministry of magic,Basis,yes,,annual,,x,y,2025-04-01,,national,,,',
      '"Multi-line\nname is fine",dhsc,Basis,maybe,,fortnightly,,x,y,2025-02-30,,national,,,',
      `Wrong place,dhsc,Basis,yes,,annual,,x,y,2025-04-01,,icb,${a.trust.code},,`,
      'Unknown org,dhsc,Basis,yes,,annual,,x,y,2025-04-01,,local,ZZZ99,,',
      'Fine return,cqc,Regulation,yes,,annual,,31 May,Portal,2025-04-01,,national,,,B',
      'Too short,dhsc',
      'Ad hoc without cycles,dhsc,Basis,yes,,ad_hoc,,x,y,2025-04-01,2025-01-01,national,,,',
    ].join('\n');
    const result = await importRegister(ctx.deps, { text: bad, filename: 'register.csv' }, { label: 'test' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
      '3: requesting_body: Select the body that requests the return',
      '4: mandatory: Select whether the return is mandatory',
      '4: frequency: Select how often it is due',
      '4: start_date: Start date must be a real date',
      `6: scope_org_code: A icb return must cover an ICB: ${a.trust.name} (${a.trust.code}) is not one`,
      '7: scope_org_code: No organisation has the ODS code ZZZ99',
      '8: the return “Fine return” is already on line 2',
      '9: expected 15 columns as in the header, found 2',
      '10: ad_hoc_cycles: Enter how many times a year an ad hoc return is expected, from 1 to 366',
      '10: sunset_date: Sunset date must be on or after the start date',
    ]);
    expect(await count()).toBe(0);
  });

  it('rejects a file whose header is wrong, naming the columns', async () => {
    const result = await importRegister(
      ctx.deps,
      { text: 'name,body,legal_basis\nx,y,z', filename: 'r.csv' },
      { label: 'test' },
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          line: 1,
          message: expect.stringContaining(
            'missing column(s) requesting_body, mandatory, frequency, deadline_rule, submission_route, start_date, scope and unknown column(s) body',
          ),
        },
      ],
    });
  });

  it('imports a good file, then updates the same returns when imported again', async () => {
    const first = await importRegister(ctx.deps, { text: goodCsv, filename: 'register.csv' }, { label: 'test' });
    expect(first).toEqual({ ok: true, created: 3, updated: 0, returns: 3, newItems: 4, nearMatchesPending: false });
    const again = await importRegister(
      ctx.deps,
      { text: goodCsv.replace('15th working day', '10th working day'), filename: 'register.csv' },
      { label: 'test' },
    );
    expect(again).toEqual({ ok: true, created: 0, updated: 3, returns: 3, newItems: 0, nearMatchesPending: false });
    const rows = await db
      .selectFrom('burden_returns')
      .select([
        'name',
        'requesting_body',
        'frequency',
        'ad_hoc_cycles',
        'deadline_rule',
        'start_date',
        'sunset_date',
        'scope',
        'owner_org_id',
      ])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      expect.objectContaining({
        name: 'Workforce monthly',
        requesting_body: 'nhse_national',
        deadline_rule: '10th working day',
      }),
      expect.objectContaining({
        name: 'Winter sitrep',
        frequency: 'weekly',
        start_date: '2025-11-01',
        sunset_date: '2026-03-31',
        scope: 'regional',
        owner_org_id: a.region.id,
      }),
      expect.objectContaining({
        name: 'Board pack extract',
        frequency: 'ad_hoc',
        ad_hoc_cycles: 6,
        owner_org_id: a.icb.id,
      }),
    ]);
    const audits = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'burden.register.import')
      .execute();
    expect(audits.map((x) => x.details)).toEqual([
      expect.objectContaining({ format: 'csv', created: 3, updated: 0 }),
      expect.objectContaining({ format: 'csv', created: 0, updated: 3 }),
    ]);
  });

  it('reads JSON, reporting problems by the line each return starts on', async () => {
    const json = `{
  "format": "leadwell-burden-register",
  "returns": [
    {
      "name": "Maternity dashboard",
      "requesting_body": "nhse_national",
      "legal_basis": "Direction",
      "mandatory": true,
      "frequency": "monthly",
      "deadline_rule": "Day 20",
      "submission_route": "MSDS",
      "start_date": "2025-04-01",
      "scope": "national",
      "data_items": [{ "name": "Births", "definition": "Live and still births", "unit": "count" }]
    },
    {
      "name": "Broken",
      "mandatory": "perhaps",
      "colour": "blue"
    },
    { "name": "" }
  ]
}`;
    const result = await importRegister(ctx.deps, { text: json, filename: 'r.json' }, { label: 'test' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toEqual({ line: 16, message: 'unknown field(s) colour' });
    expect(result.errors.slice(1).every((e) => e.line === 21)).toBe(true);
    expect(result.errors[1].message).toBe('name: Enter the name of the return');

    const fixed = json.replace(/,\n {4}\{\n {6}"name": "Broken"[\s\S]*?\{ "name": "" \}/, '');
    expect(await importRegister(ctx.deps, { text: fixed, filename: 'r.json' }, { label: 'test' })).toMatchObject({
      ok: true,
      created: 1,
      updated: 0,
      returns: 1,
      newItems: 1,
    });
    const births = await db
      .selectFrom('burden_data_items')
      .select(['definition', 'unit'])
      .where('name', '=', 'Births')
      .executeTakeFirstOrThrow();
    expect(births).toEqual({ definition: 'Live and still births', unit: 'count' });
    const notJson = await importRegister(
      ctx.deps,
      { text: '{\n "returns": [\n  {,}\n ]\n}', filename: 'x.json' },
      { label: 'test' },
    );
    expect(notJson.ok === false && notJson.errors[0].line).toBe(3);
  });

  it('lets a signed-in curator import only the returns they may curate', async () => {
    const viewer = {
      accountId: orgAdminAccount.id,
      personId: null,
      displayName: 'Org admin',
      email: orgAdminAccount.email,
      grants: [
        {
          id: 1,
          role: 'org_admin' as const,
          organisationId: a.trust.id,
          organisationCode: a.trust.code,
          organisationName: a.trust.name,
        },
      ],
      managerAssignmentIds: [],
      isDemo: false,
      via: 'session' as const,
    };
    const text = [
      header,
      `Our own huddle,other,None,no,,weekly,,Monday,Teams,2025-01-01,,local,${a.trust.code},,`,
      'A national one,dhsc,Basis,yes,,annual,,x,y,2025-04-01,,national,,,',
      `Their huddle,other,None,no,,weekly,,Monday,Teams,2025-01-01,,local,${b.trust.code},,`,
    ].join('\n');
    const result = await importRegister(ctx.deps, { text, filename: 'mine.csv' }, { viewer });
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 3, message: 'Only national admins may add or change national returns' },
        { line: 4, message: `You may not add or change local returns for ${b.trust.name}` },
      ],
    });
  });
});

describe('near matches of a very large import', () => {
  it('wait for the refresh command, which finds them', async () => {
    const items = (prefix: string, extra: string) =>
      [...Array.from({ length: 260 }, (_, i) => `${prefix} measure ${i}`), extra].join(' | ');
    const text = [
      header,
      `Big A,dhsc,B,yes,,annual,,x,y,2025-04-01,,national,,,${items('Alpha', 'Patients waiting over 52 weeks')}`,
      `Big B,dhsc,B,yes,,annual,,x,y,2025-04-01,,national,,,${items('Beta', 'Patients waiting more than 52 weeks')}`,
    ].join('\n');
    const result = await importRegister(ctx.deps, { text, filename: 'big.csv' }, { label: 'test' });
    expect(result).toMatchObject({ ok: true, created: 2, newItems: 522, nearMatchesPending: true });
    const nearGroups = () =>
      db.selectFrom('burden_overlap_groups').select('item_ids').where('kind', '=', 'near').execute();
    expect(await nearGroups()).toEqual([]);
    const { io, out } = captureIO();
    expect(await run('burden refresh').run(ctx.deps, { values: {}, positionals: [] }, io)).toBe(0);
    expect(out[0]).toMatch(/; [1-9]\d* near match\(es\) between data items; /);
    const names = await db
      .selectFrom('burden_data_items')
      .select('name')
      .where(
        'id',
        'in',
        (await nearGroups()).flatMap((g) => g.item_ids),
      )
      .orderBy('name')
      .execute();
    expect(names.map((n) => n.name)).toEqual(['Patients waiting more than 52 weeks', 'Patients waiting over 52 weeks']);
    await db.deleteFrom('burden_returns').where('name', 'in', ['Big A', 'Big B']).execute();
  });
});

describe('exporting the register', () => {
  it('writes CSV and JSON that import back unchanged', async () => {
    const csv = await exportRegister(db, 'csv', new Date('2026-11-26T10:00:00Z'));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(header);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(
      'Workforce monthly,nhse_national,"NHS Act 2006, s.13",yes,DAPB3001,monthly,,10th working day,SDCS,2024-04-01,,national,,,Staff in post | Vacancies',
    );
    const json = JSON.parse(await exportRegister(db, 'json', new Date('2026-11-26T10:00:00Z')));
    expect(json).toMatchObject({
      format: 'leadwell-burden-register',
      version: 1,
      exported_at: '2026-11-26T10:00:00.000Z',
    });
    expect(json.returns.find((r: { name: string }) => r.name === 'Maternity dashboard').data_items).toEqual([
      { name: 'Births', definition: 'Live and still births', unit: 'count' },
    ]);
    const before = await db.selectFrom('burden_returns').select(['id', 'name', 'updated_at']).orderBy('id').execute();
    for (const [text, filename] of [
      [csv, 'round.csv'],
      [JSON.stringify(json, null, 2), 'round.json'],
    ]) {
      expect(await importRegister(ctx.deps, { text, filename }, { label: 'test' })).toMatchObject({
        ok: true,
        created: 0,
        updated: 4,
        newItems: 0,
      });
    }
    expect(await exportRegister(db, 'csv', new Date())).toBe(csv);
    expect((await db.selectFrom('burden_returns').select('id').execute()).length).toBe(before.length);
  });

  it('keeps spreadsheet formulas inert in CSV', async () => {
    await importRegister(
      ctx.deps,
      {
        text: `${header}\n"=HYPERLINK(""x"")",dhsc,-1 basis,yes,,annual,,x,y,2025-04-01,,national,,,`,
        filename: 'f.csv',
      },
      { label: 'test' },
    );
    const csv = await exportRegister(db, 'csv', new Date());
    expect(csv).toContain(`"'=HYPERLINK(""x"")",dhsc,'-1 basis`);
    // And reading our own export gives the original text back.
    expect(await importRegister(ctx.deps, { text: csv, filename: 'f.csv' }, { label: 'test' })).toMatchObject({
      ok: true,
      created: 0,
    });
    expect(
      await db
        .selectFrom('burden_returns')
        .select('legal_basis')
        .where('name', '=', '=HYPERLINK("x")')
        .executeTakeFirst(),
    ).toEqual({ legal_basis: '-1 basis' });
  });
});

describe('import and export pages and commands', () => {
  it('import a file from the page, or list each problem with its line', async () => {
    const client = await signedIn(ctx, national.id);
    const upload = async (name: string, content: string | Buffer) => {
      const csrf = await client.csrf('/burden/import');
      const boundary = 'leadwellboundary';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`,
        ),
        Buffer.from(content),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return ctx.app.inject({
        method: 'POST',
        url: '/burden/import',
        payload: body,
        headers: { cookie: client.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    };
    const bad = await upload('bad.csv', `${header}\nX,dhsc,B,yes,,annual,,x,y,2025-13-01,,national,,,`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Line 2: start_date: Start date must be a real date');
    expect(bad.body).toContain('href="#problem-0"');
    const good = await upload('good.csv', `${header}\nPage import,dhsc,B,yes,,annual,,x,y,2025-04-01,,national,,,`);
    expect(good.statusCode).toBe(303);
    expect((await client.get('/burden')).body).toContain('Imported good.csv: 1 return(s) added, 0 updated.');
    // Excel's plain "CSV" on Windows is Windows-1252: the names arrive as written (src/text.ts).
    const latin = `${header}\nRevue café – Müller,dhsc,B,yes,,annual,,x,y,2025-04-01,,national,,,`;
    // Its en dash is the single byte 0x96; the other characters are where Latin-1 has them.
    const cp1252 = Buffer.from(latin.replace('–', '\x96'), 'latin1');
    expect((await upload('latin.csv', cp1252)).statusCode).toBe(303);
    expect(await db.selectFrom('burden_returns').select('name').where('name', 'like', 'Revue caf%').execute()).toEqual([
      { name: 'Revue café – Müller' },
    ]);
    const noCsrf = await ctx.app.inject({
      method: 'POST',
      url: '/burden/import',
      payload: '--b\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\nx\r\n--b--\r\n',
      headers: { cookie: client.cookieHeader(), 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(noCsrf.statusCode).toBe(403);
    const download = await client.get('/burden/export.csv');
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['content-disposition']).toMatch(
      /attachment; filename="reporting-register-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(download.body).toContain('Page import,dhsc');
  });

  it('import and export from the command line', async () => {
    const file = path.join(dir, 'cli.csv');
    await writeFile(file, `${header}\nCommand line return,dhsc,B,yes,,annual,,x,y,2025-04-01,,national,,,Beds`);
    const ok = captureIO();
    expect(await run('burden import').run(ctx.deps, { values: {}, positionals: [file] }, ok.io)).toBe(0);
    expect(ok.out).toEqual(['Imported 1 return(s): 1 added, 0 updated.']);
    await writeFile(file, `${header}\nBroken,dhsc,B,yes,,annual,,x,y,nope,,national,,,`);
    const bad = captureIO();
    expect(await run('burden import').run(ctx.deps, { values: {}, positionals: [file] }, bad.io)).toBe(1);
    expect(bad.err).toEqual([
      'Nothing was imported: 1 problem(s).',
      'cli.csv line 2: start_date: Start date must be a real date',
    ]);
    const out = path.join(dir, 'register.json');
    const exp = captureIO();
    expect(
      await run('burden export').run(ctx.deps, { values: { format: 'json', output: out }, positionals: [] }, exp.io),
    ).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8')).returns.map((r: { name: string }) => r.name)).toContain(
      'Command line return',
    );
    await expect(
      run('burden export').run(ctx.deps, { values: { format: 'xml' }, positionals: [] }, exp.io),
    ).rejects.toThrow('--format must be csv or json');
  });

  it('load pay scales at first start and from the command line, all or nothing', async () => {
    expect(await ensurePayScales(db)).toBe('Loaded 11 Agenda for Change pay scale rows from the bundled file.');
    expect(await ensurePayScales(db)).toBeUndefined();
    expect(allCommands.map((c) => c.name)).toEqual(
      expect.arrayContaining(['burden import', 'burden export', 'burden refresh', 'burden pay-scales']),
    );
    const ok = captureIO();
    expect(await run('burden pay-scales').run(ctx.deps, { values: {}, positionals: [] }, ok.io)).toBe(0);
    expect(ok.out[0]).toBe('Loaded 11 pay scale row(s) from afc-2025-26.csv; costs recomputed.');
    const bad = path.join(dir, 'bad-scales.csv');
    await writeFile(
      bad,
      'scale,band,valid_from,valid_to,annual_min,annual_max,on_cost_percent,source\nX,7,2026-04-01,,10,5,30,src\n',
    );
    const io = captureIO();
    expect(await run('burden pay-scales').run(ctx.deps, { values: {}, positionals: [bad] }, io.io)).toBe(1);
    expect(io.err[1]).toBe(
      'bad-scales.csv line 2: annual_min and annual_max must be amounts with annual_min ≤ annual_max',
    );
    const scales = await db.selectFrom('pay_scales').select('band').execute();
    expect(scales).toHaveLength(11);
  });
});
