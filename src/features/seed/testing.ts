import { makeHierarchy, makeOrg } from '../../../test/factories.ts';
import type { Database } from '../../db/database.ts';
import { loadBundledOds } from '../organisations/ods.ts';

/** Real NHS organisations when the ODS import is available, else a small region → ICB → trusts set (tests only). */
export async function withOrganisations(db: Database): Promise<void> {
  try {
    await loadBundledOds(db);
  } catch (err) {
    if (!/not built yet/.test(String(err))) throw err;
    const { region, icb } = await makeHierarchy(db, '1');
    for (const code of ['RX1A', 'RX1B', 'RX1C']) {
      await makeOrg(db, {
        code,
        name: `TEST ${code} HOSPITALS NHS TRUST`,
        parentId: icb.id,
        icbId: icb.id,
        regionId: region.id,
      });
    }
  }
}
