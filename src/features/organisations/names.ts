// ODS publishes names and addresses in capitals. Capitals are harder to read (NHS service manual), so
// imported text is put into title case, keeping the acronyms and codes NHS staff expect to see as they are.

const ACRONYMS = new Set([
  'NHS',
  'CCG',
  'ICB',
  'ICS',
  'STP',
  'PCT',
  'PCN',
  'UK',
  'GP',
  'HQ',
  'CIC',
  'LLP',
  'LTD',
  'PLC',
  'CAMHS',
  'II',
  'III',
  'IV',
]);
const SMALL_WORDS = new Set(['and', 'of', 'the', 'for', 'in', 'on', 'upon', 'under', 'with', 'at', 'by', 'to', 'de']);

function capitalise(part: string): string {
  return part.charAt(0).toUpperCase() + part.slice(1).toLowerCase();
}

function word(w: string, first: boolean): string {
  const bare = w.replace(/[^A-Z0-9&]/gi, '');
  if (ACRONYMS.has(bare.toUpperCase())) return w.toUpperCase();
  // Ordinals (4TH, 2ND) read better in lower case; other tokens with digits are codes (A3A8R, NW1): keep them.
  if (/^\d+(ST|ND|RD|TH)$/i.test(bare)) return w.toLowerCase();
  if (/\d/.test(bare)) return w;
  const lower = w.toLowerCase();
  if (!first && SMALL_WORDS.has(lower)) return lower;
  // KING'S → King's, but O'NEILL → O'Neill.
  return lower
    .split("'")
    .map((p, i) => (i > 0 && p.length <= 1 ? p : capitalise(p)))
    .join("'")
    .replace(/(^|[(/])([a-z])/g, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

/** Title case for an all-capitals ODS name or address line; text with any lower case is left alone. */
export function odsTitleCase(text: string): string {
  if (text !== text.toUpperCase()) return text;
  let first = true;
  return text
    .split(/(\s+)/)
    .map((token) => {
      if (/^\s+$/.test(token) || token === '') return token;
      // Hyphenated place names: NEWCASTLE-UNDER-LYME → Newcastle-under-Lyme.
      const out = token
        .split('-')
        .map((part, i) => (part ? word(part, first && i === 0) : part))
        .join('-');
      first = false;
      return out;
    })
    .join('');
}
