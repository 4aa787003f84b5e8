import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../feature.ts';
import { authorise, loadDevelopmentSubject } from '../../plugins/access.ts';
import { guard, schemaError } from '../../web/http.ts';
import type { ReportLine } from './feedback.ts';
import { progress, type RoundRow, requestsFor, roundsFacilitatedBy, roundsOfPerson } from './queries.ts';
import { loadRoundReport } from './report-store.ts';
import { errorReply, meReply, type ReportParams, reportParams, reportReply } from './schemas.ts';
import { auditRead, roundPermission } from './service.ts';

const tags = ['360 feedback'];
const errors = { 400: errorReply, 401: errorReply, 403: errorReply, 404: errorReply };

const apiLine = (l: ReportLine) => ({
  id: l.id,
  code: l.code,
  title: l.title,
  self: l.self,
  others: l.others,
  by_group: l.byGroup,
  gap: l.gap,
});

/** JSON API: the caller's 360 rounds, and a released report under the same anonymity rule as the pages. */
export async function api(app: FastifyInstance, { deps }: AppContext) {
  const { db } = deps;
  app.setSchemaErrorFormatter(schemaError);

  app.get(
    '/me/feedback',
    {
      schema: {
        tags,
        summary: 'My 360 rounds',
        description:
          'The caller’s own 360 rounds and those they facilitate, with status and response counts per rater group (never who answered), and the rounds they are asked to rate.',
        response: { 200: meReply, ...errors },
      },
    },
    async (req) => {
      const viewer = guard(req, { action: 'signed-in' });
      const own = viewer.personId !== null ? await roundsOfPerson(db, viewer.personId) : [];
      const facilitated = await roundsFacilitatedBy(db, viewer.accountId);
      const summarise = async (r: RoundRow, role: 'subject' | 'facilitator') => {
        const subject = (await loadDevelopmentSubject(db, r.person_id))!;
        return {
          id: r.id,
          person_id: Number(r.person_id),
          role,
          framework_version_id: r.framework_version_id,
          closes_on: r.closes_on,
          status: r.status,
          released: r.released_at !== null,
          shared: r.shared_at !== null,
          report_available: authorise(viewer, roundPermission({ round: r, subject })),
          progress: (await progress(db, r.id)).map((p) => ({
            group: p.rater_group,
            nominated: p.nominated,
            submitted: p.submitted,
          })),
        };
      };
      const rounds = [
        ...(await Promise.all(own.map((r) => summarise(r, 'subject')))),
        ...(await Promise.all(
          facilitated.filter((r) => !own.some((o) => o.id === r.id)).map((r) => summarise(r, 'facilitator')),
        )),
      ];
      const requests = viewer.personId !== null ? await requestsFor(db, viewer.personId) : [];
      return {
        rounds,
        requests: requests.map((r) => ({
          round_id: r.round_id,
          subject: `${r.given_name} ${r.family_name}`,
          group: r.rater_group,
          closes_on: r.closes_on,
          status: r.status,
          submitted: r.submitted_at !== null,
        })),
      };
    },
  );

  app.get<{ Params: ReportParams }>(
    '/feedback/:id/report',
    {
      schema: {
        tags,
        summary: 'A 360 report',
        description:
          'A released 360 report, for the person, the named facilitator, and (when the person shares it) their line managers and organisation admins. Figures follow the anonymity rule of docs/standards-feedback.md: a hidden group is null and never enters a total.',
        params: reportParams,
        response: { 200: reportReply, ...errors },
      },
    },
    async (req) => {
      // One statement for the round, its subject and its stored report; the report is used once access is decided,
      // while the read is audited, as on the page.
      const loaded = await loadRoundReport(db, req.params.id);
      guard(req, roundPermission(loaded));
      const { round } = loaded;
      const [, { report }] = await Promise.all([
        auditRead(db, { viewer: req.viewer!, ip: req.ip }, loaded, 'report'),
        loaded.report(),
      ]);
      return {
        round: {
          id: round.id,
          person_id: Number(round.person_id),
          framework_version_id: round.framework_version_id,
          closes_on: round.closes_on,
          released_at: round.released_at!.toISOString(),
        },
        scale: report.scale,
        groups: report.groups.map((g) => ({
          group: g.group,
          label: g.label,
          anonymous: g.anonymous,
          disclosed: g.disclosed,
          responses: g.responses,
          minimum: g.minimum,
        })),
        domains: report.domains.map((d) => ({ ...apiLine(d), competencies: d.competencies.map(apiLine) })),
        strengths: report.strengths.map((l) => l.id),
        lowest: report.lowest.map((l) => l.id),
        blind_spots: report.blindSpots.map((l) => l.id),
        hidden_strengths: report.hiddenStrengths.map((l) => l.id),
        comments: {
          strengths: report.comments.strengths,
          development: report.comments.development,
          line_manager_strengths: report.lineManagerComments.strengths,
          line_manager_development: report.lineManagerComments.development,
        },
      };
    },
  );
}
