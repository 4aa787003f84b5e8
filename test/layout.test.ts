import { describe, expect, it } from 'vitest';
import { createNunjucks } from '../src/web/nunjucks.ts';

// layout.njk writes out the NHS header, breadcrumb and footer instead of calling nhsuk-frontend's macros (the
// macros cost about a millisecond per page). This keeps the written markup equal to what the macros produce for the
// same content, so an upgrade of nhsuk-frontend that changes them shows up here.
const env = createNunjucks();
const macros = `{% from "nhsuk/components/header/macro.njk" import header %}
{% from "nhsuk/components/footer/macro.njk" import footer %}
{% from "nhsuk/components/breadcrumb/macro.njk" import breadcrumb %}`;

const viaMacros = {
  header: `{% set accountItems = [{ href: "/sign-in", text: "Sign in" }] %}
  {% if viewer %}{% set accountItems = [
    { href: "/account", text: viewer.displayName, icon: true },
    { html: '<form class="nhsuk-header__account-form" action="/sign-out" method="post"><input type="hidden" name="_csrf" value="' ~ csrfToken ~ '"><button class="nhsuk-header__account-button">Sign out</button></form>' }
  ] %}{% endif %}
  {{ header({ service: { text: "Leadwell", href: "/" }, account: { items: accountItems },
    navigation: { items: nav } if nav and nav.length else undefined }) }}`,
  breadcrumb: '{{ breadcrumb({ items: breadcrumbs }) }}',
  footer: `{{ footer({ meta: { items: [
      { href: "/about", text: "About Leadwell" },
      { href: "/accessibility", text: "Accessibility statement" },
      { href: "/api/v1/docs", text: "API" }
    ], text: "Contains NHS ODS data, licensed under the Open Government Licence v3.0." },
    copyright: "Leadwell, open-source software for the NHS" }) }}`,
};

/** The part of the rendered layout between two markers, whitespace between tags collapsed. */
const squash = (html: string) => html.replace(/>\s+</g, '><').replace(/\s+/g, ' ').trim();
const between = (html: string, start: string, end: string) => {
  const i = html.indexOf(start);
  return i < 0 ? '' : html.slice(i, html.indexOf(end, i) + end.length);
};

const contexts = {
  'signed in with navigation': {
    viewer: { displayName: 'Ada <Admin> & co' },
    csrfToken: 'token-1',
    nav: [
      { href: '/', text: 'Home', current: false },
      { href: '/people', text: 'People', current: true },
    ],
    breadcrumbs: [
      { href: '/', text: 'Home' },
      { href: '/people?q=a&b', text: 'People & "teams"' },
    ],
  },
  'signed in without navigation': { viewer: { displayName: 'Bo' }, csrfToken: 't', nav: [], breadcrumbs: [] },
  'signed out': { breadcrumbs: [{ href: '/', text: 'Home' }] },
};

describe('the layout’s NHS header, breadcrumb and footer', () => {
  for (const [name, ctx] of Object.entries(contexts)) {
    it(`match nhsuk-frontend's macros: ${name}`, () => {
      const written = env.renderString(`{% extends "layout.njk" %}{% block page %}{% endblock %}`, {
        ...ctx,
        title: 'T',
      });
      const header = squash(env.renderString(`${macros}${viaMacros.header}`, ctx));
      expect(squash(between(written, '<header', '</header>'))).toBe(header);
      const footer = squash(env.renderString(`${macros}${viaMacros.footer}`, ctx));
      expect(squash(between(written, '<footer', '</footer>'))).toBe(footer);
      const crumbs = ctx.breadcrumbs.length ? squash(env.renderString(`${macros}${viaMacros.breadcrumb}`, ctx)) : '';
      expect(squash(between(written, '<nav class="nhsuk-breadcrumb"', '</nav>'))).toBe(crumbs);
    });
  }
});
