import { describe, expect, it } from 'vitest';
import { spcChart } from './spc-chart.ts';

describe('the SPC chart', () => {
  it('renders an accessible SVG with the mean, the limits, and special-cause points by shape, with a table of the same figures', () => {
    const values = [5, 7, 5, 7, 5, 7, 5, 7, 5, 7, 5, 7, 20, 5, 7];
    const chart = spcChart(
      values.map((value, i) => ({ label: `M${i + 1}`, value })),
      { title: 'Upward reporting hours', yLabel: 'Hours', improvement: 'lower' },
    );
    expect(chart.svg).toMatch(/^<svg /);
    expect(chart.svg).toContain('class="app-chart"');
    expect(chart.svg).toContain('role="img"');
    expect(chart.svg).toContain('<title');
    expect(chart.svg).toContain('Upward reporting hours');
    expect(chart.svg).not.toContain('<style');
    expect(chart.svg).toContain('stroke-dasharray');
    // Special cause is a different shape (Plot draws non-circle symbols as paths).
    expect(chart.result.points[12]!.variation).toBe('concern');
    expect(chart.key).toContain('Orange squares: special cause: concern');
    expect(chart.table.rows).toHaveLength(15);
    expect(chart.table.rows[12]).toEqual(['M13', '20', 'Special cause: concern', 'outside the process limits']);
    expect(chart.table.rows[0]![2]).toBe('Common cause');
  });
});
