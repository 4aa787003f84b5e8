import type { TrustKind } from './catalogue.ts';
import { Random } from './random.ts';

// How big each real trust is in the synthetic data. ODS does not publish headcounts, so the size follows the kind of
// trust (read from its name) with a seeded spread; national scale then rescales to the NHS total in trusts.

export interface TrustInfo {
  id: number;
  code: string;
  name: string;
  regionCode: string | null;
}

/** Headcount in trusts (NHS Digital, ~1.35M staff in NHS trusts and support organisations; approximate). */
export const NATIONAL_STAFF = 1_350_000;

const ambulance = /AMBULANCE/i;
const mentalHealthOrCommunity = new RegExp(
  [
    'MENTAL',
    'PARTNERSHIP',
    'COMMUNITY',
    'HEALTH AND CARE',
    'COMBINED HEALTHCARE',
    'MERSEY CARE',
    'PENNINE CARE',
    'OXLEAS',
    'TAVISTOCK',
    'MAUDSLEY',
    'TEES, ESK',
    'CUMBRIA, NORTHUMBERLAND',
    'NORFOLK AND SUFFOLK',
    'HUMBER TEACHING',
    'OXFORD HEALTH',
    '(OXFORD|BERKSHIRE|DORSET|DERBYSHIRE|NOTTINGHAMSHIRE|NORTHAMPTONSHIRE|ISLE OF WIGHT) HEALTHCARE',
    '^(EAST|WEST|NORTH|NORTH EAST) LONDON NHS',
    'LANCASHIRE & SOUTH CUMBRIA',
    'CAMBRIDGESHIRE AND PETERBOROUGH NHS',
    'ROTHERHAM DONCASTER',
  ].join('|'),
  'i',
);
const specialist =
  /CHILDREN|WOMEN'S|ORTHOPAEDIC|CHRISTIE|MARSDEN|MOORFIELDS|PAPWORTH|CLATTERBRIDGE|WALTON CENTRE|HEART AND CHEST|QUEEN VICTORIA/i;
const large = /UNIVERSITY|TEACHING|GUY'S|KING'S COLLEGE|IMPERIAL|BARTS|MANCHESTER|NORTHERN CARE ALLIANCE|FRIMLEY/i;

export function trustKind(name: string): TrustKind {
  if (ambulance.test(name)) return 'ambulance';
  if (mentalHealthOrCommunity.test(name)) return 'mental_health_community';
  return 'acute';
}

/** A relative size: acute ≈ 1, large teaching trusts bigger, specialist and community trusts smaller. */
export function relativeSize(t: TrustInfo, seed: number): number {
  const kind = trustKind(t.name);
  let w = kind === 'acute' ? 1 : kind === 'ambulance' ? 0.6 : 0.55;
  if (kind === 'acute' && specialist.test(t.name)) w = 0.45;
  else if (kind === 'acute' && large.test(t.name)) w = 1.45;
  // ±35% spread, fixed per trust and seed.
  const spread = 0.65 + 0.7 * new Random(seed, 'size', t.code).next();
  return w * spread;
}

/** Active headcount per trust id at national scale: the national total shared by relative size. */
export function nationalSizes(trusts: readonly TrustInfo[], seed: number): Map<number, number> {
  const weights = trusts.map((t) => relativeSize(t, seed));
  const total = weights.reduce((a, b) => a + b, 0);
  return new Map(trusts.map((t, i) => [t.id, Math.round((NATIONAL_STAFF * weights[i]) / total)]));
}

/** Demo trusts are kept small (a few thousand people in all) but keep their relative sizes. */
export function demoSize(nationalSize: number): number {
  return Math.max(800, Math.min(1500, Math.round(nationalSize / 7)));
}
