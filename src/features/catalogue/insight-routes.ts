import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { hasRole } from '../../plugins/access.ts';
import { forbidden, guard } from '../../web/http.ts';
import { accreditedCompetencyCounts } from './accreditation-queries.ts';
import { formatLabels, levelLabels } from './catalogue.ts';
import { publishedCompetencies } from './competencies.ts';
import { levelOfPost } from './eligibility.ts';
import { costText, longDate, todayOf, views } from './present.ts';
import { organisationsByIds, programmesByIds, regions } from './queries.ts';
import { recommend } from './recommend.ts';
import { candidateProgrammes, loadGaps, personFacts } from './recommend-queries.ts';

// Recommendations for the signed-in person, and the competencies without an accredited programme in a region.

export async function insightRoutes(app: FastifyInstance, ctx: AppContext) {
  const { deps } = ctx;
  const { db } = deps;

  // The person's own gaps and posts: no one else's record is read, so there is nothing to audit.
  app.get('/me/recommendations', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:recommendations' });
    const personId = viewer.personId!;
    const [person, gaps] = await Promise.all([personFacts(db, personId), loadGaps(db, personId)]);
    const open = gaps.filter((g) => g.gap > 0);
    const candidates = await candidateProgrammes(db, {
      competencyIds: open.map((g) => g.competencyId),
      levels: [...new Set(person.posts.map(levelOfPost))],
      regionIds: person.regionIds,
    });
    const recs = recommend(candidates, person, open, todayOf(deps));
    const details = new Map(
      (
        await programmesByIds(
          db,
          recs.map((r) => r.programmeId),
        )
      ).map((p) => [p.id, p]),
    );
    return reply.render(`${views}/recommendations.njk`, {
      title: 'Training recommended for you',
      breadcrumbs: [{ href: '/catalogue', text: 'Training' }],
      gapCount: open.length,
      hasPost: person.posts.length > 0,
      recs: recs.map((r) => {
        const p = details.get(r.programmeId)!;
        return {
          ...r,
          provider: p.provider_name,
          level: levelLabels[p.level],
          format: formatLabels[p.format],
          cost: costText(p),
          nextStart: p.next_cohort_start ? longDate(p.next_cohort_start) : 'No dates yet',
        };
      }),
    });
  });

  app.get('/catalogue/coverage', async (req, reply) => {
    const viewer = guard(req, { action: 'catalogue:coverage' });
    const all = await regions(db);
    let allowed = all;
    if (!hasRole(viewer, 'national_admin')) {
      const grantOrgs = viewer.grants
        .filter((g) => (g.role === 'regional_lead' || g.role === 'icb_lead') && g.organisationId !== null)
        .map((g) => g.organisationId!);
      const places = await organisationsByIds(db, grantOrgs);
      const ids = new Set(places.map((o) => (o.kind === 'region' ? o.id : o.region_id)));
      allowed = all.filter((r) => ids.has(r.id));
    }
    if (!allowed.length) throw forbidden();
    const asked = Number((req.query as { region?: string }).region);
    const region = allowed.find((r) => r.id === asked) ?? allowed[0];
    const [competencies, counts] = await Promise.all([
      publishedCompetencies(db),
      accreditedCompetencyCounts(db, region.id),
    ]);
    const byId = new Map(counts.map((c) => [c.competency_id, c.programmes]));
    const rows = competencies
      .map((c) => ({ ...c, programmes: byId.get(c.competencyId) ?? 0 }))
      .sort((a, b) => a.programmes - b.programmes || a.frameworkTitle.localeCompare(b.frameworkTitle));
    return reply.render(`${views}/coverage.njk`, {
      title: `Competencies without an accredited programme: ${region.name}`,
      breadcrumbs: [{ href: '/catalogue', text: 'Training' }],
      region,
      regionItems: allowed.map((r) => ({ value: String(r.id), text: r.name, selected: r.id === region.id })),
      missing: rows.filter((r) => r.programmes === 0),
      covered: rows.filter((r) => r.programmes > 0),
    });
  });
}
