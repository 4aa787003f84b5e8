import { describe, expect, it } from 'vitest';
import { createNunjucks } from '../../web/nunjucks.ts';

// _fields.njk writes out the NHS design system's form markup instead of calling nhsuk-frontend's macros (the
// macros were most of the plan page's render time). This keeps the written markup equal to what the macros give
// for the same fields, with and without errors, so an upgrade of nhsuk-frontend that changes them shows up here.
const env = createNunjucks();
const ours =
  '{% from "features/plans/views/_fields.njk" import textInput, textArea, selectField, statusRadios, dueDate, submitButton %}';
const nhsuk = `{% from "nhsuk/components/input/macro.njk" import input %}
{% from "nhsuk/components/textarea/macro.njk" import textarea %}
{% from "nhsuk/components/select/macro.njk" import select %}
{% from "nhsuk/components/radios/macro.njk" import radios %}
{% from "nhsuk/components/date-input/macro.njk" import dateInput %}
{% from "nhsuk/components/button/macro.njk" import button %}`;

/** Markup with the whitespace around tags removed (it does not change what is shown or announced). */
const squash = (html: string) => html.replace(/\s+/g, ' ').replace(/>\s+/g, '>').replace(/\s+</g, '<').trim();

const pairs = {
  input: [
    '{{ textInput("title", "What you will work on", values.title, fields.title) }}',
    '{{ input({ id: "title", name: "title", label: { text: "What you will work on" }, value: values.title, errorMessage: fields.title }) }}',
  ],
  'textarea with hint': [
    '{{ textArea("support", "Agreed support (optional)", "For example coaching", values.support, fields.support) }}',
    '{{ textarea({ id: "support", name: "support", label: { text: "Agreed support (optional)" }, hint: { text: "For example coaching" }, value: values.support, errorMessage: fields.support }) }}',
  ],
  'textarea without hint': [
    '{{ textArea("support", "Agreed support (optional)", undefined, values.support, fields.support) }}',
    '{{ textarea({ id: "support", name: "support", label: { text: "Agreed support (optional)" }, value: values.support, errorMessage: fields.support }) }}',
  ],
  select: [
    '{{ selectField("competency", "Competency", "From <the> framework", items) }}',
    '{{ select({ id: "competency", name: "competency", label: { text: "Competency" }, hint: { text: "From <the> framework" }, items: items }) }}',
  ],
  radios: [
    '{{ statusRadios(statusItems, fields.status) }}',
    '{{ radios({ idPrefix: "status", name: "status", fieldset: { legend: { text: "Status", size: "s" } }, items: statusItems, errorMessage: fields.status }) }}',
  ],
  'date input': [
    '{{ dueDate(values, fields) }}',
    `{% set err = " nhsuk-input--error" if fields.due else "" %}{{ dateInput({
      id: "due", namePrefix: "due",
      fieldset: { legend: { text: "Due date (optional)", size: "s" } },
      hint: { text: "For example, 31 3 2027" },
      errorMessage: fields.due,
      items: [
        { name: "day", classes: "nhsuk-input--width-2" ~ err, value: values["due-day"] },
        { name: "month", classes: "nhsuk-input--width-2" ~ err, value: values["due-month"] },
        { name: "year", classes: "nhsuk-input--width-4" ~ err, value: values["due-year"] }
      ] }) }}`,
  ],
  button: ['{{ submitButton("Add to plan") }}', '{{ button({ text: "Add to plan" }) }}'],
};

const contexts = {
  'empty form': { values: {}, fields: {} },
  'values, no errors': {
    values: {
      title: 'Lead the <b>"huddle"</b> & more',
      support: 'Coaching\nand a course',
      'due-day': '31',
      'due-month': '3',
      'due-year': '2027',
    },
    fields: {},
  },
  'empty strings': { values: { title: '', support: '', 'due-day': '', 'due-month': '', 'due-year': '' }, fields: {} },
  'every field in error': {
    values: { title: '', support: 'x'.repeat(20), 'due-day': '40', 'due-month': '1', 'due-year': '2027' },
    fields: {
      title: { text: 'Enter what you will work on' },
      support: { text: 'The agreed support must be <2,000> characters or fewer' },
      status: { text: 'Select a status' },
      due: { text: 'Enter a real due date, for example 31 3 2027' },
    },
  },
};
const items = [
  { value: '', text: 'No competency', selected: false },
  { value: '12', text: 'CSL.1 Leading & "inspiring"', selected: true },
  { value: '13', text: 'CSL.2 <Setting> direction', selected: false },
];
const statusItems = [
  { value: 'not_started', text: 'Not started', checked: false },
  { value: 'in_progress', text: 'In progress', checked: true },
  { value: 'done', text: 'Done', checked: false },
];

describe('the plan forms’ written-out NHS fields', () => {
  for (const [ctxName, ctx] of Object.entries(contexts)) {
    for (const [name, [written, macro]] of Object.entries(pairs)) {
      it(`${name} matches nhsuk-frontend's macro: ${ctxName}`, () => {
        const data = { ...ctx, items, statusItems };
        const mine = squash(env.renderString(`${ours}${written}`, data));
        expect(mine.length).toBeGreaterThan(40);
        expect(mine).toBe(squash(env.renderString(`${nhsuk}${macro}`, data)));
      });
    }
  }
});
