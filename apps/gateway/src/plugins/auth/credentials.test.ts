import { describe, expect, it } from 'vitest';
import { hashPassword, normalizeUsername, passwordProblem, verifyPassword } from './credentials.js';

describe('normalizeUsername', () => {
  it.each([
    ['admin', 'admin'],
    ['  Ada.Lovelace ', 'ada.lovelace'],
    ['ops_team-1', 'ops_team-1'],
    ['0day', '0day'],
    ['a'.repeat(63), 'a'.repeat(63)],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeUsername(input)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    '-admin',
    '.admin',
    'ada lovelace',
    'ada@example.com',
    'a'.repeat(64),
    'ädmin',
  ])('refuses %j', (input) => {
    expect(normalizeUsername(input)).toBeUndefined();
  });
});

describe('passwordProblem', () => {
  it.each([
    ['short', 'ada', 'A password needs at least 12 characters.'],
    ['x'.repeat(1025), 'ada', 'A password may have at most 1024 characters.'],
    ['lovelace.ada', 'lovelace.ada', 'A password must not be the username.'],
    ['Lovelace.Ada', 'lovelace.ada', 'A password must not be the username.'],
    ['a long enough one', 'ada', undefined],
  ])('%j for %j: %j', (password, username, expected) => {
    expect(passwordProblem(password, username)).toBe(expected);
  });
});

describe('argon2id hashing', () => {
  it('hashes with argon2id and a salt, and verifies only the right password', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword(first, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(first, 'correct horse battery!')).toBe(false);
  });

  it('never matches without a stored hash, or with one that is not argon2', async () => {
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    expect(await verifyPassword('plain-text', 'plain-text')).toBe(false);
  });
});
