import type { GrantedRole } from '../../db/schema.ts';
import type { Notable } from './generate.ts';
import { pools } from './names.ts';
import type { PersonaInsert } from './queries.ts';
import { Random } from './random.ts';

// One demo account per role, so a visitor can sign in as each kind of user from the sign-in page.
// Staff, line manager and organisation admin are real generated people of the first demo trust; the other
// roles work above trust level, where the generator creates no staff, so their accounts have no person.

export type PersonaRole =
  | 'staff'
  | 'line_manager'
  | 'org_admin'
  | 'icb_lead'
  | 'regional_lead'
  | 'national_admin'
  | 'provider_admin';

export const personaLabels: Record<PersonaRole, string> = {
  staff: 'staff member',
  line_manager: 'line manager',
  org_admin: 'organisation admin',
  icb_lead: 'ICB lead',
  regional_lead: 'regional lead',
  national_admin: 'national admin',
  provider_admin: 'training provider admin',
};

export interface PersonaContext {
  seed: number;
  /** The demo trust whose people the personas are, with the people picked while generating it. */
  trust: { id: number; notable: Notable };
  icbId: number | null;
  regionId: number | null;
}

const namePools = [pools.british, pools.indian, pools.african, pools.pakistani, pools.caribbean, pools.european];

export function buildPersonas(c: PersonaContext): (PersonaInsert & { role: PersonaRole })[] {
  const { lineManager, staffMember, orgAdmin } = c.trust.notable;
  if (!lineManager || !staffMember || !orgAdmin) {
    throw new Error('The first demo trust is too small to provide the staff, line manager and admin personas');
  }
  const rng = new Random(c.seed, 'personas');
  const invented = () => {
    const pool = rng.pick(namePools);
    return `${rng.pick(rng.chance(0.7) ? pool.female : pool.male)} ${rng.pick(pool.family)}`;
  };
  const persona = (
    role: PersonaRole,
    who: { name: string; email: string; personId: number | null },
    grant?: { role: GrantedRole; organisationId: number | null },
  ) => ({
    role,
    displayName: `Demo: ${who.name} (${personaLabels[role]})`,
    email: who.email,
    personId: who.personId,
    grant,
  });
  const unlinked = (slug: string) => ({ name: invented(), email: `${slug}@demo.nhs.example`, personId: null });
  const withOrg = (role: GrantedRole, organisationId: number | null) =>
    organisationId === null ? undefined : { role, organisationId };

  return [
    persona('staff', staffMember),
    persona('line_manager', lineManager),
    persona('org_admin', orgAdmin, { role: 'org_admin', organisationId: c.trust.id }),
    persona('icb_lead', unlinked('icb-lead'), withOrg('icb_lead', c.icbId)),
    persona('regional_lead', unlinked('regional-lead'), withOrg('regional_lead', c.regionId)),
    persona('national_admin', unlinked('national-admin'), { role: 'national_admin', organisationId: null }),
    // Training providers are not modelled as organisations yet; the grant sits on a demo trust (see the docs).
    persona('provider_admin', unlinked('provider-admin'), { role: 'provider_admin', organisationId: c.trust.id }),
  ];
}
