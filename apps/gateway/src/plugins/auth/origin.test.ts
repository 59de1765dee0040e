import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin.js';

const allowed = new Set(['https://portal.example.com']);
const own = { protocol: 'https', host: 'binnacle.example.com' };

describe('originAllowed', () => {
  it.each<[string | undefined, boolean, string]>([
    [undefined, true, 'no Origin: not a browser'],
    ['https://binnacle.example.com', true, 'our own origin'],
    ['https://portal.example.com', true, 'an allowed origin'],
    ['https://evil.example', false, 'a foreign origin'],
    ['http://binnacle.example.com', false, 'our host over another scheme'],
    ['https://binnacle.example.com:8443', false, 'our host on another port'],
    ['https://portal.example.com.evil.example', false, 'a look-alike'],
    ['null', false, 'an opaque origin'],
    ['https://portal.example.com/path', false, 'not an origin'],
    ['not a url', false, 'garbage'],
  ])('%s → %s (%s)', (origin, expected) => {
    expect(originAllowed({ origin, ...own }, allowed)).toBe(expected);
  });

  it('takes the port into account for our own origin', () => {
    const local = { protocol: 'http', host: 'localhost:8080' };
    expect(originAllowed({ origin: 'http://localhost:8080', ...local }, new Set())).toBe(true);
    expect(originAllowed({ origin: 'http://localhost:5173', ...local }, new Set())).toBe(false);
  });
});
