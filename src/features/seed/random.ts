// Our own small PRNG so that a seed gives the same data on every machine and Node version
// (Math.random cannot be seeded). sfc32: 128 bits of state, fast, good enough for synthetic data.

/** FNV-1a over a string, returned as 32 unsigned bits; used to derive independent streams per trust. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A stream named by `parts`, so each trust's data does not depend on the order trusts are generated in. */
  constructor(...parts: (string | number)[]) {
    const key = parts.join('/');
    this.a = hash32(`a:${key}`);
    this.b = hash32(`b:${key}`);
    this.c = hash32(`c:${key}`);
    this.d = hash32(`d:${key}`) | 1;
    // Mix the state before the first use; the first outputs of a fresh state are correlated.
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A key of `weights`, with probability proportional to its weight. */
  weighted<K extends string>(weights: { readonly [P in K]?: number }): K {
    return pickWeighted(this, weights);
  }
}

/** Cumulative tables built once; a linear scan over ≤ 20 entries beats anything cleverer here. */
const cumulative = new WeakMap<object, { keys: string[]; sums: number[]; total: number }>();

function pickWeighted<K extends string>(rng: Random, weights: { readonly [P in K]?: number }): K {
  let table = cumulative.get(weights);
  if (!table) {
    const keys = Object.keys(weights);
    const sums: number[] = [];
    let total = 0;
    for (const k of keys) {
      total += weights[k as K] ?? 0;
      sums.push(total);
    }
    table = { keys, sums, total };
    cumulative.set(weights, table);
  }
  const x = rng.next() * table.total;
  for (let i = 0; i < table.sums.length; i++) if (x < table.sums[i]) return table.keys[i] as K;
  return table.keys[table.keys.length - 1] as K;
}
