import { describe, expect, it } from 'vitest';
import { matchesLabelSelector, parseLabelSelector } from './index.ts';

const labels = { app: 'web', tier: 'front', 'example.com/team': 'a', replicas: '5' };

describe('label selectors', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app = web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web, api)', true],
    ['app in (db)', false],
    ['app notin (db,api)', true],
    ['missing notin (x)', true],
    ['missing in (x)', false],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['example.com/team=a', true],
    ['app=web,tier in (front,back),!missing', true],
    ['app=web,tier=back', false],
    ['replicas>3', true],
    ['replicas<3', false],
    ['app>3', false],
    ['empty=', false],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesLabelSelector(labels, parseLabelSelector(selector))).toBe(expected);
  });

  it('matches objects without labels only where the requirement allows it', () => {
    expect(matchesLabelSelector(undefined, parseLabelSelector('!app,app notin (x)'))).toBe(true);
    expect(matchesLabelSelector(undefined, parseLabelSelector('app'))).toBe(false);
  });

  it.each([
    ['app in (a,b', /unbalanced/],
    ['app in ()', /at least one value/],
    ['app=web,', /empty requirement/],
    ['a b c', /not a label requirement/],
    ['app=we b', /not a label value/],
    ['-bad=x', /not a label key/],
    ['n>x', /whole number/],
    ['app in ((a))', /unbalanced/],
  ])('refuses %s', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });
});
