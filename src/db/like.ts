/** Escape LIKE wildcards so that a search for "50%" means the characters, not a pattern. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
