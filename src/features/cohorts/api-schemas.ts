import { type Static, Type } from '@sinclair/typebox';

// The cohorts API's schemas (TypeBox), so that they appear in the OpenAPI document.

const nullable = <T extends ReturnType<typeof Type.String>>(t: T, description: string) =>
  Type.Union([t, Type.Null()], { description });
const enumOf = (values: readonly string[], description: string) =>
  Type.Unsafe<string>({ type: 'string', enum: [...values], description });

export const idParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'Id' }) });

export const errorReply = Type.Object({ error: Type.String(), message: Type.String() });

const session = Type.Object({
  id: Type.Integer(),
  starts_at: Type.String({ format: 'date-time' }),
  ends_at: Type.String({ format: 'date-time' }),
  venue: nullable(Type.String(), 'Where it happens; null when online only'),
  online_url: nullable(Type.String(), 'The online link; null when in person only'),
});

export const cohortsReply = Type.Object({
  programme_id: Type.Integer(),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      status: enumOf(['open', 'completed'], 'open: bookable in its window; completed: finished'),
      starts_on: nullable(Type.String({ format: 'date' }), 'First session day; null before sessions are set'),
      ends_on: nullable(Type.String({ format: 'date' }), 'Last session day'),
      capacity: Type.Integer(),
      places_free: Type.Integer({ description: 'Places not held by an application or a reservation' }),
      waiting: Type.Integer({ description: 'Applications on the wait-list' }),
      booking_opens_on: Type.String({ format: 'date' }),
      booking_closes_on: Type.String({ format: 'date' }),
      booking_open: Type.Boolean({ description: 'Whether an application can be made today' }),
      funder_approval: Type.Boolean({ description: 'Whether the employer must also approve funding' }),
      sessions: Type.Array(session),
    }),
  ),
});

const statuses = ['awaiting_approval', 'confirmed', 'waitlisted', 'rejected', 'cancelled'];
const decisions = ['pending', 'approved', 'rejected', 'not_required'];

export const applicationReply = Type.Object({
  id: Type.Integer(),
  cohort_id: Type.Integer(),
  status: enumOf(statuses, 'awaiting_approval: a place is held while approvals are pending'),
});

export const bookingsReply = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      cohort_id: Type.Integer(),
      cohort_name: Type.String(),
      programme_id: Type.Integer(),
      programme_title: Type.String(),
      starts_on: nullable(Type.String({ format: 'date' }), 'First session day'),
      status: enumOf(statuses, 'Where the application stands'),
      manager_decision: enumOf(decisions, 'The line manager’s decision'),
      funder_decision: enumOf(decisions, 'The employer’s funding decision'),
      waiting_position: Type.Union([Type.Integer(), Type.Null()], { description: 'Place on the wait-list (1 = next)' }),
      applied_at: Type.String({ format: 'date-time' }),
      completed_on: nullable(Type.String({ format: 'date' }), 'When the person completed'),
      outcome: Type.Union([enumOf(['passed', 'completed', 'failed'], 'Outcome'), Type.Null()]),
      certificate_code: nullable(Type.String(), 'Verification code of the certificate (check at /verify/{code})'),
    }),
  ),
});

export const completionsBody = Type.Object({
  completions: Type.Array(
    Type.Object({
      application_id: Type.Integer({ minimum: 1 }),
      outcome: enumOf(['passed', 'completed', 'failed'], 'passed or completed earn a certificate; failed does not'),
      completed_on: Type.String({ format: 'date' }),
    }),
    { minItems: 1, maxItems: 1000 },
  ),
});
export type CompletionsBody = Static<typeof completionsBody>;

export const completionsReply = Type.Object({
  recorded: Type.Integer(),
  certificates: Type.Array(Type.Object({ application_id: Type.Integer(), code: Type.String() })),
});

export const registerReply = Type.Object({
  cohort_id: Type.Integer(),
  items: Type.Array(
    Type.Object({
      application_id: Type.Integer(),
      person_id: Type.Integer(),
      name: Type.String(),
      organisation: Type.Union([Type.String(), Type.Null()]),
      status: Type.String({ description: 'awaiting_approval, confirmed or waitlisted' }),
      outcome: Type.Union([Type.String(), Type.Null()]),
      completed_on: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
