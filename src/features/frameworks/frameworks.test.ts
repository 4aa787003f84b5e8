import { describe, expect, it } from 'vitest';
import { checkDocument, publishProblems, type VersionDocument } from './document.ts';
import { bandRuleText, effectiveRequired, isProficient, keyFromTitle, nextCode, ratingBand } from './frameworks.ts';

const scale = {
  levels: [
    { value: 1 },
    { value: 2 },
    { value: 4 },
    { value: 8 },
    { value: null }, // no chance to demonstrate
  ],
};
const defaults = { green_within: 0, amber_within: 1 };

describe('rating bands', () => {
  it('are green at or above the required level, amber one step below, red further below', () => {
    expect(ratingBand(8, 4, scale, defaults)).toBe('green');
    expect(ratingBand(4, 4, scale, defaults)).toBe('green');
    expect(ratingBand(2, 4, scale, defaults)).toBe('amber');
    expect(ratingBand(1, 4, scale, defaults)).toBe('red');
  });

  it('count steps of the scale, not differences of values', () => {
    // 4 → 8 is one step although the values differ by 4.
    expect(ratingBand(4, 8, scale, defaults)).toBe('amber');
    expect(ratingBand(2, 8, scale, defaults)).toBe('red');
  });

  it('follow the rule stored with the version', () => {
    expect(ratingBand(2, 4, scale, { green_within: 1, amber_within: 2 })).toBe('green');
    expect(ratingBand(1, 4, scale, { green_within: 1, amber_within: 2 })).toBe('amber');
    expect(ratingBand(1, 8, scale, { green_within: 1, amber_within: 2 })).toBe('red');
    expect(ratingBand(2, 4, scale, { green_within: 0, amber_within: 0 })).toBe('red');
  });

  it('give no band for an answer that is not a score, or a requirement off the scale', () => {
    expect(ratingBand(null, 4, scale, defaults)).toBeNull();
    expect(ratingBand(4, undefined, scale, defaults)).toBeNull();
    expect(ratingBand(3, 4, scale, defaults)).toBeNull();
  });

  it('are described in words', () => {
    expect(bandRuleText(defaults)).toEqual([
      'Green: at or above the required level.',
      'Amber: one step below the required level.',
      'Red: more than one step below the required level.',
    ]);
    expect(bandRuleText({ green_within: 1, amber_within: 3 })[1]).toBe(
      'Amber: 2 steps to 3 steps below the required level.',
    );
  });
});

describe('required levels and proficiency', () => {
  it('take a competency’s own level before its domain’s', () => {
    expect(effectiveRequired({ first_line: 2, board: 3 }, { board: 4, senior: 1 })).toEqual({
      first_line: 2,
      senior: 1,
      board: 4,
    });
  });

  it('count no score as not proficient', () => {
    expect(isProficient(3, 3)).toBe(true);
    expect(isProficient(2, 3)).toBe(false);
    expect(isProficient(null, 3)).toBe(false);
    expect(isProficient(4, null)).toBe(false);
  });
});

describe('keys and codes', () => {
  it('suggest a key from a title and the next free code', () => {
    expect(keyFromTitle('Board members: Leadership Competency Framework')).toBe(
      'board-members-leadership-competency-framework',
    );
    expect(keyFromTitle('Café ★')).toBe('cafe');
    expect(keyFromTitle('!')).toBe('framework-new');
    expect(nextCode(['D1', 'd2', 'D4'], 'D')).toBe('D3');
    expect(nextCode(['QI.1'], 'QI.')).toBe('QI.2');
  });
});

const valid = (): VersionDocument => ({
  format: 'leadwell-framework',
  format_version: 1,
  framework: { key: 'demo', title: 'Demo', description: '', owner: '' },
  version: { notes: '', source: '', starter: false },
  scale: {
    levels: [
      { value: 1, label: 'Low', descriptor: '' },
      { value: 2, label: 'High', descriptor: '' },
      { value: null, label: 'Not seen', descriptor: '' },
    ],
    proficient_value: 2,
  },
  rating_bands: { green_within: 0, amber_within: 1 },
  domains: [
    {
      code: 'D1',
      title: 'One',
      description: '',
      required_levels: { middle: 2 },
      competencies: [
        {
          code: 'D1.1',
          title: 'First',
          description: '',
          indicators: ['Does it'],
          required_levels: {},
          level_descriptors: [{ level: 'Not seen', text: 'Had no chance' }],
        },
      ],
    },
  ],
});

describe('the version document', () => {
  it('accepts a complete version', () => {
    const { doc, problems } = checkDocument(valid());
    expect(problems).toEqual([]);
    expect(publishProblems(doc!)).toEqual([]);
  });

  it('names each structural problem by its path', () => {
    const bad = valid() as unknown as Record<string, any>;
    bad.framework.key = 'Not A Key';
    bad.domains[0].competencies[0].indicators.push('');
    bad.domains[0].extra = true;
    const { doc, problems } = checkDocument(bad);
    expect(doc).toBeUndefined();
    expect(problems.map((p) => p.path)).toEqual([
      'framework.key',
      'domains[0].extra',
      'domains[0].competencies[0].indicators[1]',
    ]);
  });

  it('finds duplicates and references to levels that do not exist', () => {
    const doc = valid();
    doc.scale.levels.push({ value: 2, label: 'high', descriptor: '' });
    doc.scale.proficient_value = 5;
    doc.domains[0].competencies.push({ ...structuredClone(doc.domains[0].competencies[0]), title: 'Again' });
    doc.domains[0].competencies[0].level_descriptors.push({ level: 'Unknown', text: 'x' });
    doc.domains[0].required_levels.board = 7;
    const { problems } = checkDocument(doc);
    expect(problems.map((p) => [p.path, p.area])).toEqual([
      ['scale.levels[3].label', 'scale'],
      ['scale.levels[3].value', 'scale'],
      ['scale.proficient_value', 'scale'],
      ['domains[0].required_levels.board', 'required'],
      ['domains[0].competencies[0].level_descriptors[1].level', 'domains'],
      ['domains[0].competencies[1].code', 'domains'],
    ]);
  });
});
