import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext, Feature } from '../../feature.ts';
import { authorise } from '../../plugins/access.ts';
import { HttpError } from '../../web/http.ts';
import { personAssignments } from '../people/queries.ts';
import { api } from './api.ts';
import { isManagementLevel, managementLevelLabels, managementLevels, suggestedLevel } from './assessments.ts';
import { evidenceRoutes } from './evidence-routes.ts';
import { assessableVersions, DEFAULT_FRAMEWORK } from './framework.ts';
import { historyByVersion, presentAssessment } from './present.ts';
import { assessmentsOf, createAssessment, importedHistoryOf, openAssessment } from './queries.ts';
import { loadModels } from './result.ts';
import { resultRoutes } from './result-routes.ts';
import { takeRoutes } from './take-routes.ts';
import { teamRoutes } from './team-routes.ts';
import { auditWrite, formBody, home, ownPerson, takeFlash, views } from './web.ts';

// The development landing page, the list of one's self-assessments, and starting a new one.

export const assessmentsUrl = `${home}/assessments`;
const crumbs = [
  { href: '/', text: 'Home' },
  { href: home, text: 'Development' },
];

const startForm = z.object({
  version: z.coerce.number({ message: 'Select a framework' }).int().positive({ message: 'Select a framework' }),
  level: z.string().refine(isManagementLevel, { message: 'Select your management level' }),
});

async function routes(app: FastifyInstance, ctx: AppContext) {
  const { db } = ctx.deps;

  app.get(home, async (req, reply) => {
    const { viewer } = ownPerson(req);
    return reply.render(`${views}/landing.njk`, {
      title: 'Development',
      breadcrumbs: [{ href: '/', text: 'Home' }],
      flash: await takeFlash(ctx, req),
      cards: [
        {
          href: assessmentsUrl,
          title: 'Self-assessment',
          text: 'Rate yourself against the management standards for your level and see your gaps.',
        },
        {
          href: '/me/feedback',
          title: '360 feedback',
          text: 'Ask your line manager, peers and team how you lead, and read what they say together.',
        },
        {
          href: '/appraisals',
          title: 'Appraisals',
          text: 'Your annual appraisal and mid-year review, the appraisals you hold for others, and check-ins.',
        },
        {
          href: `${home}/plan`,
          title: 'Development plan',
          text: 'What you will work on, by when, and the support agreed.',
        },
        { href: `${home}/evidence`, title: 'Evidence', text: 'Notes, links and files that show what you do.' },
        {
          href: '/me/learning',
          title: 'Learning record',
          text: 'Every programme you have completed, from any provider, that goes with you when you move.',
        },
        {
          href: '/me/recommendations',
          title: 'Recommended development',
          text: 'Programmes that close your gaps, that you are eligible for, near you or online.',
        },
        {
          href: '/me/bookings',
          title: 'My applications and bookings',
          text: 'Programmes you have applied for, your places, wait-list positions and certificates.',
        },
        {
          href: `${home}/record`,
          title: 'My development record',
          text: 'Everything in one place: print it, download it, or bring it from a previous employer.',
        },
        ...(authorise(viewer, { action: 'development:team' })
          ? [
              {
                href: `${home}/team`,
                title: 'My team',
                text: 'The self-assessments and plans of the people you line-manage.',
              },
              {
                href: '/cohorts/approvals',
                title: 'Development to approve',
                text: 'Applications from your team waiting for your decision, and places you have reserved.',
              },
            ]
          : []),
      ],
    });
  });

  app.get(assessmentsUrl, async (req, reply) => {
    const { personId } = ownPerson(req);
    const rows = await assessmentsOf(db, personId);
    const models = await loadModels(db, rows);
    const open = rows.find((a) => a.status === 'in_progress');
    return reply.render(`${views}/list.njk`, {
      title: 'Self-assessment',
      breadcrumbs: crumbs,
      flash: await takeFlash(ctx, req),
      open: open ? presentAssessment(open, models.get(open.framework_version_id)) : undefined,
      history: historyByVersion(rows, models),
      imported: await importedHistoryOf(db, personId),
    });
  });

  const renderStart = async (
    reply: FastifyReply,
    personId: number,
    form: { values?: Record<string, string>; errors?: unknown[]; fields?: Record<string, unknown> } = {},
    status = 200,
  ) => {
    const versions = await assessableVersions(db);
    const current = (await personAssignments(db, personId)).filter((a) => a.end_date === null);
    const band = current[0]?.band ?? null;
    const suggested = suggestedLevel(band);
    const values = form.values ?? {
      version: String(versions.find((v) => v.key === DEFAULT_FRAMEWORK)?.versionId ?? versions[0]?.versionId ?? ''),
      level: suggested,
    };
    return reply.render(
      `${views}/start.njk`,
      {
        title: 'Start a self-assessment',
        breadcrumbs: [...crumbs, { href: assessmentsUrl, text: 'Self-assessment' }],
        position: current[0] ? `${current[0].position_title}${band ? `, band ${band}` : ''}` : undefined,
        suggestedLabel: managementLevelLabels[suggested],
        versionItems: versions.map((v) => ({
          value: String(v.versionId),
          text: `${v.title} (version ${v.version})`,
          checked: values.version === String(v.versionId),
        })),
        levelItems: managementLevels.map((l) => ({
          value: l,
          text: managementLevelLabels[l] + (l === suggested ? ' (suggested from your band)' : ''),
          checked: values.level === l,
        })),
        errors: form.errors ?? [],
        fields: form.fields ?? {},
      },
      status,
    );
  };

  app.get(`${assessmentsUrl}/new`, async (req, reply) => {
    const { personId } = ownPerson(req);
    const open = await openAssessment(db, personId);
    if (open) return reply.redirect(`${assessmentsUrl}/${open.id}/review`, 303);
    return renderStart(reply, personId);
  });

  app.post(`${assessmentsUrl}/new`, async (req, reply) => {
    const { viewer, personId } = ownPerson(req);
    const body = formBody(req);
    const parsed = startForm.safeParse(body);
    const versions = await assessableVersions(db);
    const version = parsed.success ? versions.find((v) => v.versionId === parsed.data.version) : undefined;
    if (!parsed.success || !version) {
      const fields: Record<string, { text: string }> = {};
      const errors = [];
      if (!version) {
        fields.version = { text: 'Select a framework' };
        errors.push({ text: 'Select a framework', href: '#version' });
      }
      if (!isManagementLevel(body.level)) {
        fields.level = { text: 'Select your management level' };
        errors.push({ text: 'Select your management level', href: '#level' });
      }
      return renderStart(reply, personId, { values: body, errors, fields }, 400);
    }
    if (await openAssessment(db, personId)) {
      throw new HttpError(409, 'You already have a self-assessment in progress: continue it or discard it first');
    }
    const current = (await personAssignments(db, personId)).filter((a) => a.end_date === null);
    const band = current[0]?.band ?? null;
    const level = parsed.data.level as (typeof managementLevels)[number];
    const id = await createAssessment(db, {
      personId,
      versionId: version.versionId,
      level,
      levelSource: level === suggestedLevel(band) ? 'suggested' : 'chosen',
      band,
    });
    await auditWrite(db, req, viewer, {
      action: 'assessment.start',
      subjectType: 'self_assessment',
      subjectId: id,
      details: { framework: version.key, version: version.version, management_level: level },
    });
    return reply.redirect(`${assessmentsUrl}/${id}/domains/1`, 303);
  });

  await takeRoutes(app, ctx);
  await resultRoutes(app, ctx);
  await evidenceRoutes(app, ctx);
  await teamRoutes(app, ctx);
}

export const assessmentsFeature: Feature = { name: 'assessments', routes, api };
