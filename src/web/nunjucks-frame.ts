import nunjucks from 'nunjucks';

// nunjucks keeps template variables in Frames, and Frame.set splits every name it is given on "." (to allow
// `loop.index`): each iteration of a {% for %} sets the loop variable and seven `loop.*` names, each through
// String.prototype.split, which costs 0.15–0.2 µs on Node 20 (indexOf, 20 ns). In a 360 report's render that was
// 40% of the time (and much of its garbage). The same rule follows, with a name's parts worked out once: names
// come from compiled templates, so there are few of them. nunjucks 3.2.4 is its last release; nunjucks-frame.test.ts
// checks this against the original.

interface Frame {
  variables: Record<string, unknown>;
  resolve(name: string, forWrite: boolean): Frame | undefined;
  set(name: string, val: unknown, resolveUp?: boolean): void;
}

const FramePrototype = (nunjucks.runtime as unknown as { Frame: { prototype: Frame } }).Frame.prototype;

/** nunjucks' own Frame.set, kept for the test that compares the two. */
export const originalFrameSet = FramePrototype.set;

const MAX_NAMES = 2000;
const dotted = new Map<string, string[]>();

function partsOf(name: string): string[] {
  let parts = dotted.get(name);
  if (parts === undefined) {
    parts = name.split('.');
    if (dotted.size < MAX_NAMES) dotted.set(name, parts);
  }
  return parts;
}

export function frameSet(this: Frame, name: string, val: unknown, resolveUp?: boolean): void {
  const plain = name.indexOf('.') === -1;
  if (resolveUp) {
    const frame = this.resolve(plain ? name : partsOf(name)[0]!, true);
    if (frame) {
      frame.set(name, val);
      return;
    }
  }
  if (plain) {
    this.variables[name] = val;
    return;
  }
  const parts = partsOf(name);
  let obj = this.variables;
  for (let i = 0; i < parts.length - 1; i++) {
    const id = parts[i]!;
    if (!obj[id]) obj[id] = {};
    obj = obj[id] as Record<string, unknown>;
  }
  obj[parts[parts.length - 1]!] = val;
}

FramePrototype.set = frameSet;
