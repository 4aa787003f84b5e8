import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

// Charts are SVG rendered on the server with Observable Plot on a linkedom document: no script in the browser,
// and every chart is paired in its template with a table holding the same figures (chart.njk), because an SVG is
// not an accessible way to read numbers.

const { document } = parseHTML('<!doctype html><html><body></body></html>');

export interface ChartText {
  /** Short name of the chart, read out by screen readers. */
  title: string;
  /** What the chart shows in a sentence; the table beside it holds the figures. */
  description?: string;
}

/** NHS colours for chart marks (nhsuk-frontend palette). */
export const chartColours = {
  blue: '#005eb8',
  darkBlue: '#003087',
  grey: '#768692',
  red: '#d5281b',
  orange: '#ed8b00',
  green: '#007f3b',
  purple: '#330072',
} as const;

let sequence = 0;

/**
 * Render a Plot specification to an SVG string. Plot's own <style> element is removed (the CSP allows no inline
 * styles; leadwell.css styles `.app-chart` instead) and the SVG gets a title and description for assistive technology.
 */
export function renderChart(options: Plot.PlotOptions, text: ChartText): string {
  const node = Plot.plot({ document, style: undefined, ...options } as Plot.PlotOptions) as unknown as Element;
  // With a legend Plot returns a <figure> whose first SVGs are legend swatches: the chart is its own child SVG.
  // Legends are not kept (the table beside every chart names each series); say what colours mean in marks instead.
  const svg =
    node.tagName.toLowerCase() === 'svg'
      ? node
      : Array.from(node.children).find((c) => c.tagName.toLowerCase() === 'svg');
  if (!svg) throw new Error('chart did not render an svg');
  for (const style of Array.from(svg.querySelectorAll('style'))) style.remove();
  sequence = (sequence + 1) % 1_000_000;
  const id = `chart-${sequence}`;
  svg.setAttribute('class', 'app-chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', `${id}-title${text.description ? ` ${id}-desc` : ''}`);
  svg.setAttribute('focusable', 'false');
  const title = document.createElement('title');
  title.setAttribute('id', `${id}-title`);
  title.textContent = text.title;
  svg.insertBefore(title, svg.firstChild);
  if (text.description) {
    const desc = document.createElement('desc');
    desc.setAttribute('id', `${id}-desc`);
    desc.textContent = text.description;
    svg.insertBefore(desc, title.nextSibling);
  }
  // Inside role="img" the parts are presentational: Plot's aria-label on its groups would be labels on elements
  // without a role, which axe reports. The title, the description and the table beside the chart carry the meaning.
  for (const el of Array.from(svg.querySelectorAll('[aria-label],[aria-description]'))) {
    el.removeAttribute('aria-label');
    el.removeAttribute('aria-description');
  }
  return svg.outerHTML;
}

export interface Bar {
  label: string;
  value: number;
  /** Optional group for colour (e.g. 'Below required level'). */
  group?: string;
}

/** Horizontal bars, one per label, in the order given. Null values (suppressed figures) are left out of the chart. */
export function barChart(bars: readonly Bar[], text: ChartText & { xLabel: string; max?: number }): string {
  const data = bars.filter((b) => Number.isFinite(b.value));
  const longest = Math.max(10, ...data.map((b) => b.label.length));
  return renderChart(
    {
      marginLeft: Math.min(260, 8 + longest * 6.5),
      height: 40 + data.length * 28,
      x: { label: text.xLabel, grid: true, domain: text.max !== undefined ? [0, text.max] : undefined },
      y: { label: null, domain: data.map((b) => b.label) },
      color: data.some((b) => b.group) ? { range: Object.values(chartColours) } : undefined,
      marks: [
        Plot.barX(data, { y: 'label', x: 'value', fill: data.some((b) => b.group) ? 'group' : chartColours.blue }),
        // The group is written at the end of its bar, so the colour is never the only way to tell.
        ...(data.some((b) => b.group)
          ? [Plot.text(data, { y: 'label', x: 'value', text: 'group', textAnchor: 'start', dx: 4 })]
          : []),
        Plot.ruleX([0]),
      ],
    },
    text,
  );
}
