import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { createNunjucks } from './nunjucks.ts';
import { frameSet, originalFrameSet } from './nunjucks-frame.ts';

type Frame = { variables: Record<string, unknown>; parent: Frame | undefined; push(isolate?: boolean): Frame };
const { Frame } = nunjucks.runtime as unknown as { Frame: new (parent?: Frame, isolate?: boolean) => Frame };

/** The same writes through one Frame.set, on a fresh chain of frames: what each write threw, and the frames after. */
function replay(set: typeof frameSet, writes: [string, unknown, boolean?][]) {
  const root = new Frame();
  const child = root.push();
  const isolated = child.push(true);
  const frames = [root, child, isolated];
  const thrown = writes.map(([name, value, up], i) => {
    try {
      set.call(frames[i % 3] as never, name, value, up);
      return null;
    } catch (e) {
      return String(e);
    }
  });
  return { thrown, frames: frames.map((f) => JSON.parse(JSON.stringify(f.variables))) };
}

describe('Frame.set without splitting every name', () => {
  it('leaves the frames exactly as nunjucks’ own Frame.set does', () => {
    const writes: [string, unknown, boolean?][] = [
      ['v', 1],
      ['loop.index', 1],
      ['loop.first', true],
      ['loop.index', 2],
      ['a.b.c', 'deep'],
      ['a.b.d', 'deep too'],
      ['', 'empty'],
      ['x', 'up', true],
      ['v', 'up again', true],
      ['loop.last', false, true],
      ['a.b.c', 'up and deep', true],
      ['nothing.here', 0, true],
      ['.lead', 1],
      ['trail.', 2],
    ];
    for (let shift = 0; shift < 3; shift++) {
      const shifted = [...writes.slice(shift), ...writes.slice(0, shift)];
      expect(replay(frameSet, shifted)).toEqual(replay(originalFrameSet, shifted));
    }
  });

  it('is the one nunjucks uses, and templates render as before', () => {
    const env = createNunjucks();
    expect((Frame as unknown as { prototype: { set: unknown } }).prototype.set).toBe(frameSet);
    const template =
      '{% set t = 0 %}{% for r in rows %}{% for c in r %}{{ loop.index }}/{{ loop.length }}:{{ c }}{% if loop.last %};{% endif %}{% endfor %}{% endfor %}{% for k, v in obj %}{{ k }}={{ v }} {% endfor %}';
    const out = env.renderString(template, { rows: [['a', 'b'], ['c']], obj: { p: 1, q: '<2>' } });
    expect(out).toBe('1/2:a2/2:b;1/1:c;p=1 q=&lt;2&gt; ');
  });
});
