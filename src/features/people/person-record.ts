import type { Database } from '../../db/database.ts';
import { canSeeEqualityFields, type Viewer } from '../../plugins/access.ts';
import { audit } from '../../plugins/audit.ts';
import { notFound } from '../../web/http.ts';
import { describeHistory, idsIn } from './history.ts';
import {
  assignmentHistory,
  directReports,
  findPerson,
  historyLabels,
  personAssignments,
  visiblePeople,
} from './queries.ts';

/**
 * One person's record as the viewer may see it: 404 both when there is no such person and when they are
 * out of the viewer's scope, so that probing ids tells nobody who exists. Equality fields are present only
 * when the access model allows, otherwise absent. Reading anyone else's record is audited.
 */
export async function loadPersonRecord(
  db: Database,
  actor: { viewer: Viewer; ip?: string },
  id: number,
  opts: { history?: boolean; channel: 'web' | 'api' },
) {
  const { viewer } = actor;
  // Scope first: a person out of scope costs the same one query as no person at all.
  if (!(await visiblePeople(db, viewer, [id])).has(id)) throw notFound('Person');
  const person = await findPerson(db, id);
  if (!person) throw notFound('Person');

  const assignments = await personAssignments(db, id);
  const openIds = assignments.filter((a) => a.end_date === null).map((a) => a.id);
  const organisationIds = [...new Set(assignments.map((a) => a.organisation_id))];
  const [reports, historyRows] = await Promise.all([
    directReports(db, viewer, openIds),
    opts.history
      ? assignmentHistory(
          db,
          assignments.map((a) => a.id),
        )
      : Promise.resolve([]),
  ]);
  const managerIds = assignments.map((a) => a.manager_person_id).filter((m): m is number => m !== null);
  const linkable = await visiblePeople(db, viewer, managerIds);

  let history: ReturnType<typeof describeHistory> = [];
  if (historyRows.length) {
    const current = new Map(assignments.map((a) => [a.id, a as typeof a & Record<string, unknown>]));
    const labels = await historyLabels(db, idsIn([...historyRows.map((h) => h.previous), ...current.values()]));
    history = describeHistory(historyRows, current, labels);
  }

  const equality = canSeeEqualityFields(viewer, { id, organisationIds })
    ? { ethnicity: person.ethnicity, disability: person.disability, sex: person.sex, age_band: person.age_band }
    : undefined;

  if (viewer.personId !== id) {
    await audit(db, actor, {
      action: 'person.view',
      subjectType: 'person',
      subjectId: id,
      personId: id,
      details: { via: opts.channel, equality_fields: equality !== undefined },
    });
  }

  return {
    person: {
      id: person.id,
      staff_number: person.staff_number,
      given_name: person.given_name,
      family_name: person.family_name,
      email: person.email,
    },
    assignments: assignments.map((a) => ({
      ...a,
      manager_visible: a.manager_person_id !== null && linkable.has(a.manager_person_id),
    })),
    reports,
    history,
    equality,
  };
}
