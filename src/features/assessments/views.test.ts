import { describe, expect, it } from 'vitest';
import { createNunjucks } from '../../web/nunjucks.ts';

// _gaps.njk writes out the NHS checkboxes and button instead of calling nhsuk-frontend's macros (the macros were
// most of the result page's render time). This keeps the written markup equal to what the macros give for the
// same gaps, so an upgrade of nhsuk-frontend that changes them shows up here.
const env = createNunjucks();

/** Markup with the whitespace around tags removed (it does not change what is shown or announced). */
const squash = (html: string) => html.replace(/\s+/g, ' ').replace(/>\s+/g, '>').replace(/\s+</g, '<').trim();

const gaps = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: i === 0 ? 'gap' : `gap-${i + 1}`,
    value: 30 + i,
    text: `CSL.${i} Influencing <without> "authority" & more: Capable, required Proficient (Amber, 1 step below)`,
  }));

describe('the result page’s written-out gap checkboxes', () => {
  for (const n of [1, 3, 12]) {
    it(`match nhsuk-frontend's checkboxes and button: ${n} gap${n === 1 ? '' : 's'}`, () => {
      const items = gaps(n);
      const written = squash(
        env.renderString('{% from "features/assessments/views/_gaps.njk" import gapChoices %}{{ gapChoices(items) }}', {
          items,
        }),
      );
      const viaMacros = squash(
        env.renderString(
          `{% from "nhsuk/components/checkboxes/macro.njk" import checkboxes %}
          {% from "nhsuk/components/button/macro.njk" import button %}
          {{ checkboxes({ idPrefix: "gap", name: "gap", fieldset: { legend: { text: "Add gaps to your development plan", size: "s" } }, hint: { text: "Select the gaps you want to work on." }, items: items }) }}
          {{ button({ text: "Add to development plan" }) }}`,
          { items },
        ),
      );
      expect(written.split('type="checkbox"').length - 1).toBe(n);
      expect(written).toBe(viaMacros);
    });
  }
});
