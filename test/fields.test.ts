import { describe, expect, it } from 'vitest';
import { createNunjucks } from '../src/web/nunjucks.ts';

// src/web/views/fields.njk writes out the markup of nhsuk-frontend's input, select, checkboxes, button and
// pagination macros for the busiest pages. Each case renders the lean macro and nhsuk's macro from the same
// values and requires the same HTML (whitespace next to tags aside), so an nhsuk-frontend upgrade that changes
// the markup fails here rather than drifting silently.
const env = createNunjucks();
const imports = `{% from "fields.njk" import textField, selectField, checkboxGroup, submitButton, pager %}
{% from "nhsuk/components/input/macro.njk" import input %}
{% from "nhsuk/components/select/macro.njk" import select %}
{% from "nhsuk/components/checkboxes/macro.njk" import checkboxes %}
{% from "nhsuk/components/button/macro.njk" import button %}
{% from "nhsuk/components/pagination/macro.njk" import pagination %}`;

// Whitespace next to a tag is dropped on both sides: browsers collapse it at the start and end of these elements.
const squash = (html: string) =>
  html.replace(/\s+/g, ' ').replace(/>\s+/g, '>').replace(/\s+</g, '<').replace(/\s+>/g, '>').trim();
const render = (template: string, ctx: object) => squash(env.renderString(`${imports}${template}`, ctx));

const textCases: Record<string, object> = {
  'label, hint and value': { label: 'Name <first>', labelSize: 's', hint: 'A hint & more', value: 'O"Brien' },
  'an error and a width class': {
    label: 'Code',
    value: 'R<J>1',
    error: 'Enter a code & try',
    classes: 'nhsuk-input--width-10',
  },
  'an error without a hint, empty value': { label: 'Code', value: '', error: 'Enter a code' },
  'no value at all, type and input mode': { label: 'Amount', type: 'number', inputmode: 'numeric', spellcheck: true },
};

describe('lean form fields (fields.njk) match nhsuk-frontend’s macros', () => {
  for (const [name, p] of Object.entries(textCases)) {
    it(`text input: ${name}`, () => {
      const ctx = { p: { id: 'q', name: 'q', autocomplete: 'off', spellcheck: false, ...p } };
      const lean = render('{{ textField(p) }}', ctx);
      const nhs = render(
        `{{ input({ id: p.id, name: p.name, type: p.type, value: p.value, classes: p.classes, spellcheck: p.spellcheck,
          autocomplete: p.autocomplete, inputmode: p.inputmode,
          label: { text: p.label, size: p.labelSize }, hint: { text: p.hint } if p.hint,
          errorMessage: { text: p.error } if p.error }) }}`,
        ctx,
      );
      expect(lean).toContain('<input');
      expect(lean).toBe(nhs);
    });
  }

  const items = [
    { value: '', text: 'Any band' },
    { value: '5', text: 'Band 5' },
    { value: '8a', text: 'Band 8a & "more"' },
  ];
  for (const [name, p] of Object.entries({
    'nothing chosen': { value: '' },
    'a value chosen, with a hint': { value: '8a', hint: 'Pick one' },
    'a numeric value matches its text option': { value: 5, error: 'Choose a band' },
  })) {
    it(`select: ${name}`, () => {
      const ctx = { p: { id: 'band', label: 'Band', labelSize: 's', items, ...p } };
      const lean = render('{{ selectField(p) }}', ctx);
      const nhs = render(
        `{{ select({ id: p.id, name: p.id, value: p.value, items: p.items, label: { text: p.label, size: p.labelSize },
          hint: { text: p.hint } if p.hint, errorMessage: { text: p.error } if p.error }) }}`,
        ctx,
      );
      expect(lean).toContain('<option');
      expect(lean).toBe(nhs);
    });
  }

  it('select: options written once (optionsHtml) stand in for items', () => {
    const ctx = { p: { id: 'band', label: 'Band', items, value: '5' } };
    const optionsHtml = env.renderString(
      '{% for o in p.items %}<option value="{{ o.value }}"{% if o.value == p.value %} selected{% endif %}>{{ o.text }}</option>{% endfor %}',
      ctx,
    );
    const fromHtml = render('{{ selectField({ id: p.id, label: p.label, optionsHtml: html }) }}', {
      ...ctx,
      html: optionsHtml,
    });
    expect(fromHtml).toContain('<option value="5" selected>');
    expect(fromHtml).toBe(render('{{ selectField(p) }}', ctx));
  });

  it('checkboxes in a fieldset', () => {
    const ctx = {
      p: {
        legend: 'Include <these>',
        legendSize: 's',
        classes: 'nhsuk-checkboxes--small',
        items: [
          { value: 'yes', name: 'managers', id: 'managers', text: 'Only managers', checked: true },
          { value: 'yes', name: 'leavers', id: 'leavers', text: 'Include leavers & movers', checked: false },
        ],
      },
    };
    const lean = render('{{ checkboxGroup(p) }}', ctx);
    const nhs = render(
      `{{ checkboxes({ idPrefix: "options", name: "options", classes: p.classes,
        fieldset: { legend: { text: p.legend, size: p.legendSize } }, items: p.items }) }}`,
      ctx,
    );
    expect(lean).toContain('checked');
    expect(lean).toBe(nhs);
  });

  it('submit button', () => {
    expect(render('{{ submitButton("Search & go") }}', {})).toBe(render('{{ button({ text: "Search & go" }) }}', {}));
  });

  for (const [name, p] of Object.entries({
    'both links': {
      previousUrl: '/people?q=a&b=1',
      previousPage: 'First page',
      nextUrl: '/people?after=x',
      nextPage: 'Next page',
    },
    'next only': { nextUrl: '/n', nextPage: 'Next page' },
    'previous only': { previousUrl: '/p', previousPage: 'First page' },
  })) {
    it(`pagination: ${name}`, () => {
      const lean = render('{{ pager(p) }}', { p });
      const nhs = render(
        '{{ pagination({ previousUrl: p.previousUrl, previousPage: p.previousPage, nextUrl: p.nextUrl, nextPage: p.nextPage }) }}',
        { p },
      );
      expect(lean).toContain('nhsuk-pagination');
      expect(lean).toBe(nhs);
    });
  }
});
