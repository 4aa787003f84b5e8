import { makeAccount, makeHierarchy, makePerson } from '../../../test/factories.ts';
import type { Database } from '../../db/database.ts';
import { loadStarters } from '../frameworks/import.ts';

/**
 * A small trust for appraisal tests: a line manager with two reports, an organisation admin, and the starter
 * frameworks (the template rates behaviours against the published management standards).
 */
export async function appraisalWorld(db: Database, suffix: string) {
  await loadStarters(db);
  const { region, icb, trust } = await makeHierarchy(db, suffix);
  const manager = await makePerson(db, {
    orgId: trust.id,
    isManager: true,
    band: '7',
    given: 'Mina',
    family: 'Manager',
  });
  const staff = await makePerson(db, {
    orgId: trust.id,
    managerAssignmentId: manager.assignmentId,
    given: 'Sam',
    family: 'Staff',
  });
  const colleague = await makePerson(db, { orgId: trust.id, managerAssignmentId: manager.assignmentId });
  const adminPerson = await makePerson(db, { orgId: trust.id, band: '8a' });
  const accounts = {
    manager: await makeAccount(db, { personId: manager.id, name: 'Mina Manager' }),
    staff: await makeAccount(db, { personId: staff.id, name: 'Sam Staff' }),
    colleague: await makeAccount(db, { personId: colleague.id }),
    admin: await makeAccount(db, { personId: adminPerson.id, grants: [{ role: 'org_admin', orgId: trust.id }] }),
    icbLead: await makeAccount(db, { grants: [{ role: 'icb_lead', orgId: icb.id }] }),
  };
  return { region, icb, trust, manager, staff, colleague, adminPerson, accounts };
}

/** The form of a complete preparation: two SMART objectives, one on equality, diversity and inclusion. */
export const completePreparation = {
  objective_1_title: 'Cut agency spend',
  objective_1_specific: 'Reduce agency nursing shifts on the ward',
  objective_1_measurable: 'Agency shifts per month, from the rostering system',
  objective_1_achievable: 'With two new starters in post by June',
  objective_1_relevant: 'The trust’s financial recovery plan',
  objective_1_timeBound: 'By 31 March 2027',
  objective_2_title: 'Inclusive recruitment',
  objective_2_specific: 'Diverse interview panels for every band 6 and above post',
  objective_2_measurable: 'Share of panels with a member from an under-represented group',
  objective_2_achievable: 'Panel members trained through the trust’s programme',
  objective_2_relevant: 'The trust’s WRES action plan',
  objective_2_timeBound: 'By 30 September 2026',
  objective_2_edi: 'yes',
  reflection: 'A hard winter; the team held together.',
  wellbeing: 'Would like to talk about flexible working.',
  career: 'Interested in a matron role.',
  plan: 'Mary Seacole programme\nShadow a matron for a week',
};

export const cycleForm = (name: string, start: [number, number, number], due: [number, number, number]) => {
  const parts = (field: string, [d, m, y]: [number, number, number]) => ({
    [`${field}-day`]: String(d),
    [`${field}-month`]: String(m),
    [`${field}-year`]: String(y),
  });
  return {
    name,
    ...parts('starts_on', start),
    ...parts('mid_year_on', [1, 10, start[2]]),
    ...parts('due_on', due),
    ...parts('ends_on', [31, 3, start[2] + 1]),
  };
};
