import { describe, expect, it } from 'vitest';
import { barChart } from './charts.ts';

describe('server-rendered charts', () => {
  it('renders an SVG with a title and description and no inline style element', () => {
    const svg = barChart(
      [
        { label: 'Collaborative leadership', value: 3 },
        { label: 'Use of data', value: 2.5 },
      ],
      { title: 'Profile by domain', description: 'Average self-rating in each domain', xLabel: 'Average rating' },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="chart-\d+-title">Profile by domain<\/title>/);
    expect(svg).toContain('Average self-rating in each domain');
    expect(svg).toContain('Collaborative leadership');
    expect(svg).not.toContain('<style');
    expect(svg).not.toContain('aria-label=');
    expect(svg.match(/<rect /g)?.length).toBe(2);
  });

  it('returns the chart, not a legend swatch, and names each group in text', () => {
    const svg = barChart(
      [
        { label: 'Use of data', value: 2, group: 'Below required level' },
        { label: 'Finance', value: 3, group: 'Meets required level' },
      ],
      { title: 'Gaps', xLabel: 'Rating' },
    );
    expect(svg.match(/<rect /g)?.length).toBe(2);
    expect(svg).toContain('Below required level');
    expect(svg).toContain('Meets required level');
  });
});
