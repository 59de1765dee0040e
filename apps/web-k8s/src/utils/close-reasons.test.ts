import { CloseCode } from '@binnacle/contract';
import { describe, expect, it } from 'vitest';
import { en } from '../locales/en';
import { zhCN } from '../locales/zh-CN';
import { closedFor } from './close-reasons';

describe('closedFor', () => {
  it.each([
    [CloseCode.revoked, 'revoked'],
    [CloseCode.forbidden, 'forbidden'],
    [CloseCode.clusterChanged, 'clusterChanged'],
    [CloseCode.lifetime, 'lifetime'],
    [CloseCode.idle, 'idle'],
    [CloseCode.normal, undefined],
    [CloseCode.upstream, undefined],
    [1006, undefined],
  ])('%i → %s', (code, expected) => {
    expect(closedFor(code)).toBe(expected);
  });

  it('has words for each reason in English and Simplified Chinese', () => {
    for (const code of [4401, 4403, 4410, 4440, 4408]) {
      const key = closedFor(code);
      expect(key).toBeDefined();
      if (key === undefined) continue;
      expect(en.errors[key]).not.toBe('');
      expect(zhCN.errors[key]).not.toBe(en.errors[key]);
    }
  });
});
