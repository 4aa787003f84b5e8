// A chart is a pure function of its figures, and rendering one (Observable Plot on a server-side DOM) costs several
// milliseconds, most of an aggregate page's time. The figures only change when a refresh rewrites the summaries,
// so the last charts rendered are kept, keyed by everything they are drawn from (figures, title, wording): the
// same figures give the same SVG, and new figures are a new key. Bounded, oldest first out.

const MAX_CHARTS = 256;
const charts = new Map<string, unknown>();

export function memoChart<T>(inputs: unknown, render: () => T): T {
  const key = JSON.stringify(inputs);
  const hit = charts.get(key);
  if (hit !== undefined) {
    charts.delete(key);
    charts.set(key, hit);
    return hit as T;
  }
  const made = render();
  charts.set(key, made);
  if (charts.size > MAX_CHARTS) charts.delete(charts.keys().next().value!);
  return made;
}
