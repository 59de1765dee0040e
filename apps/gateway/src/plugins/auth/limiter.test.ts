import { describe, expect, it } from 'vitest';
import type { LoginLimits } from '../../config/auth.js';
import { duration, LoginLimiter } from './limiter.js';

const limits: LoginLimits = {
  windowSeconds: 300,
  maxPerUserAndIp: 10,
  maxPerIp: 50,
  lockoutFailures: 5,
  lockoutMinutes: 15,
};

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

describe('LoginLimiter', () => {
  it('allows 10 attempts per username and address in 5 minutes, then says when to retry', () => {
    const time = clock();
    const limiter = new LoginLimiter(limits, time.now);
    for (let i = 0; i < 10; i++) {
      expect(limiter.attempt({ username: 'ada', ip: '10.0.0.1' })).toEqual({ kind: 'allowed' });
      limiter.succeeded({ username: 'ada', ip: '10.0.0.1' });
    }
    time.advance(60_000);
    expect(limiter.attempt({ username: 'ada', ip: '10.0.0.1' })).toEqual({
      kind: 'rate-limited',
      retryAfterSeconds: 240,
    });
    // Another address, or another name, has a window of its own.
    expect(limiter.attempt({ username: 'ada', ip: '10.0.0.2' })).toEqual({ kind: 'allowed' });
    expect(limiter.attempt({ username: 'bob', ip: '10.0.0.1' })).toEqual({ kind: 'allowed' });
    time.advance(240_000);
    expect(limiter.attempt({ username: 'ada', ip: '10.0.0.1' })).toEqual({ kind: 'allowed' });
  });

  it('limits one address across usernames', () => {
    const limiter = new LoginLimiter({ ...limits, maxPerIp: 3 }, clock().now);
    for (const username of ['a', 'b', 'c']) {
      expect(limiter.attempt({ username, ip: '10.0.0.9' }).kind).toBe('allowed');
    }
    expect(limiter.attempt({ username: 'd', ip: '10.0.0.9' })).toEqual({
      kind: 'rate-limited',
      retryAfterSeconds: 300,
    });
  });

  it('locks an account at one address after 5 consecutive failures there, for 15 minutes', () => {
    const time = clock();
    const limiter = new LoginLimiter(limits, time.now);
    const there = { username: 'ada', ip: '10.9.9.9' };
    for (let i = 1; i <= 5; i++) {
      expect(limiter.attempt(there).kind).toBe('allowed');
      expect(limiter.failed(there)).toBe(i === 5);
    }
    expect(limiter.attempt(there)).toEqual({ kind: 'locked', retryAfterSeconds: 900 });
    // The owner signing in from elsewhere is not locked out by the stranger.
    expect(limiter.attempt({ username: 'ada', ip: '10.0.0.1' })).toEqual({ kind: 'allowed' });
    // An attempt that was in flight when the lock fell does not lift it.
    expect(limiter.failed(there)).toBe(false);
    time.advance(14 * 60_000);
    expect(limiter.attempt(there)).toEqual({ kind: 'locked', retryAfterSeconds: 60 });
    time.advance(60_000);
    expect(limiter.attempt(there)).toEqual({ kind: 'allowed' });
    // After the lock the count starts over.
    expect(limiter.failed(there)).toBe(false);
  });

  it('does not add up failures from different addresses', () => {
    const limiter = new LoginLimiter(limits, clock().now);
    for (let i = 1; i <= 10; i++) {
      expect(limiter.failed({ username: 'ada', ip: `10.0.0.${i}` })).toBe(false);
    }
    expect(limiter.attempt({ username: 'ada', ip: '10.0.0.1' })).toEqual({ kind: 'allowed' });
  });

  it('starts the count over after a success, or after a long quiet spell', () => {
    const time = clock();
    const limiter = new LoginLimiter(limits, time.now);
    const ada = { username: 'ada', ip: '10.0.0.1' };
    for (let i = 0; i < 4; i++) limiter.failed(ada);
    limiter.succeeded(ada);
    for (let i = 0; i < 4; i++) expect(limiter.failed(ada)).toBe(false);
    time.advance(15 * 60_000);
    expect(limiter.failed(ada)).toBe(false);
    expect(limiter.attempt({ username: 'ada', ip: '10.0.0.1' }).kind).toBe('allowed');
  });

  it('forgets run-out windows and locks on sweep', () => {
    const time = clock();
    const limiter = new LoginLimiter({ ...limits, maxPerUserAndIp: 1 }, time.now);
    limiter.attempt({ username: 'ada', ip: '10.0.0.1' });
    for (let i = 0; i < 5; i++) limiter.failed({ username: 'bob', ip: '10.0.0.1' });
    time.advance(15 * 60_000);
    limiter.sweep();
    expect(limiter.attempt({ username: 'ada', ip: '10.0.0.1' }).kind).toBe('allowed');
    expect(limiter.attempt({ username: 'bob', ip: '10.0.0.1' }).kind).toBe('allowed');
  });
});

describe('duration', () => {
  it.each([
    [1, '1 second'],
    [40, '40 seconds'],
    [60, '1 minute'],
    [61, '2 minutes'],
    [900, '15 minutes'],
  ])('%d → %s', (seconds, text) => {
    expect(duration(seconds)).toBe(text);
  });
});
