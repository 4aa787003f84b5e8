import type { LearningOutcome } from '../../db/schema.ts';
import { durationHours, MAX_HOURS, MAX_PROVIDER, MAX_TITLE } from './learning-record.ts';

// xAPI statements from external learning platforms (docs/learning-record.md, "xAPI"). Pure: a statement is
// checked and mapped here; the actor is matched and the record written by the route.

export const XAPI_VERSION = '1.0.3';

export const verbOutcomes: Record<string, LearningOutcome> = {
  'http://adlnet.gov/expapi/verbs/completed': 'completed',
  'https://adlnet.gov/expapi/verbs/completed': 'completed',
  'http://adlnet.gov/expapi/verbs/passed': 'passed',
  'https://adlnet.gov/expapi/verbs/passed': 'passed',
  // A failed attempt is still development the person took part in: recorded with the outcome "failed".
  'http://adlnet.gov/expapi/verbs/failed': 'failed',
  'https://adlnet.gov/expapi/verbs/failed': 'failed',
};

export interface MappedStatement {
  id: string | null;
  email: string;
  activityId: string;
  title: string;
  provider: string | null;
  outcome: LearningOutcome;
  completedOn: string;
  hours: number | null;
}

/** A precise reason why one statement cannot be accepted; the API answers 400 with it. */
export class StatementError extends Error {}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A language map's text, preferring British then any English, then whatever language comes first. */
function display(map: unknown): string | undefined {
  if (!isObject(map)) return undefined;
  for (const lang of ['en-GB', 'en', 'en-US'])
    if (typeof map[lang] === 'string' && map[lang]) return map[lang] as string;
  const first = Object.values(map).find((v) => typeof v === 'string' && v !== '');
  return first as string | undefined;
}

/** Check one statement and map it to a learning record. `received` is the server's date (YYYY-MM-DD) for statements without a timestamp. */
export function mapStatement(s: unknown, received: string, today: string): MappedStatement {
  if (!isObject(s)) throw new StatementError('a statement must be a JSON object');
  let id: string | null = null;
  if (s.id !== undefined) {
    if (typeof s.id !== 'string' || !uuid.test(s.id)) throw new StatementError('id must be a UUID');
    id = s.id.toLowerCase();
  }
  const actor = s.actor;
  if (!isObject(actor)) throw new StatementError('actor is required');
  if (actor.objectType !== undefined && actor.objectType !== 'Agent') {
    throw new StatementError('actor.objectType must be Agent: groups are not accepted');
  }
  if (typeof actor.mbox !== 'string') {
    throw new StatementError(
      'actor.mbox is required (mailto:the learner’s email address): other identifiers cannot be matched to a person',
    );
  }
  const mbox = /^mailto:([^@\s]+@[^@\s]+\.[^@\s]+)$/i.exec(actor.mbox);
  if (!mbox) throw new StatementError('actor.mbox must be a mailto: IRI, e.g. mailto:name@nhs.net');
  const verb = s.verb;
  if (!isObject(verb) || typeof verb.id !== 'string') throw new StatementError('verb.id is required');
  const outcome = verbOutcomes[verb.id];
  if (!outcome) {
    throw new StatementError(
      `verb ${verb.id} is not accepted: send https://adlnet.gov/expapi/verbs/completed, passed or failed`,
    );
  }
  const object = s.object;
  if (!isObject(object)) throw new StatementError('object is required');
  if (object.objectType !== undefined && object.objectType !== 'Activity') {
    throw new StatementError('object.objectType must be Activity');
  }
  if (typeof object.id !== 'string' || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(object.id)) {
    throw new StatementError('object.id must be an IRI identifying the activity');
  }
  const definition = isObject(object.definition) ? object.definition : undefined;
  const title = (display(definition?.name) ?? object.id).trim().slice(0, MAX_TITLE);
  let completedOn = received;
  if (s.timestamp !== undefined) {
    const t = typeof s.timestamp === 'string' ? new Date(s.timestamp) : new Date(Number.NaN);
    if (typeof s.timestamp !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(s.timestamp) || Number.isNaN(t.getTime())) {
      throw new StatementError('timestamp must be an ISO 8601 date and time, e.g. 2025-06-30T14:00:00Z');
    }
    completedOn = t.toISOString().slice(0, 10);
    if (completedOn > today) throw new StatementError(`timestamp ${s.timestamp} is in the future`);
  }
  let hours: number | null = null;
  if (s.result !== undefined) {
    if (!isObject(s.result)) throw new StatementError('result must be an object');
    if (s.result.duration !== undefined) {
      const h = typeof s.result.duration === 'string' ? durationHours(s.result.duration) : undefined;
      if (h === undefined) {
        throw new StatementError(
          'result.duration must be an ISO 8601 duration such as PT1H30M (years and months are not accepted)',
        );
      }
      if (h > MAX_HOURS) throw new StatementError(`result.duration is more than ${MAX_HOURS} hours`);
      hours = h;
    }
  }
  const context = isObject(s.context) ? s.context : undefined;
  const provider =
    typeof context?.platform === 'string' && context.platform ? context.platform.slice(0, MAX_PROVIDER) : null;
  return { id, email: mbox[1].toLowerCase(), activityId: object.id, title, provider, outcome, completedOn, hours };
}
