import { describe, expect, it } from 'vitest';
import { isLocalHttpIssuer, lockedMessage, passwordProblem, safeNext } from './accounts.ts';

describe('account rules', () => {
  it('allows plain-http OpenID providers only on this machine', () => {
    expect(isLocalHttpIssuer('http://localhost:8080/realms/x')).toBe(true);
    expect(isLocalHttpIssuer('http://127.0.0.1:4000')).toBe(true);
    expect(isLocalHttpIssuer('http://login.example.nhs.uk')).toBe(false);
    expect(isLocalHttpIssuer('http://localhost.evil.example')).toBe(false);
    expect(isLocalHttpIssuer('https://localhost')).toBe(false);
  });

  it('keeps next on this site', () => {
    expect(safeNext('/a/b?c=d#e')).toBe('/a/b?c=d#e');
    for (const bad of ['//x.example', '/\\x.example', 'https://x.example', '/\tx', '', undefined, ['/a']]) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
  });

  it('states the password rules', () => {
    expect(passwordProblem('elevenchars', 'a@b.nhs.uk')).toContain('12 characters');
    expect(passwordProblem('long.enough@example.nhs.uk', 'Long.Enough@example.nhs.uk')).toContain('not be your email');
    expect(passwordProblem('twelve chars', 'a@b.nhs.uk')).toBeNull();
  });

  it('says when a lock ends, rounding minutes up', () => {
    const now = new Date('2026-11-26T10:00:00Z');
    const msg = lockedMessage(new Date('2026-11-26T10:14:01Z'), now);
    expect(msg).toContain('Try again in 15 minutes (after 26 November 2026, 10:14 UTC)');
    expect(lockedMessage(new Date('2026-11-26T10:00:30Z'), now)).toContain('Try again in 1 minute ');
  });
});
