import type { HostState } from '@binnacle/contract';
import { describe, expect, it, vi } from 'vitest';
import { createMountProps, subAppBasePath } from './props';

describe('createMountProps', () => {
  it('gives the theme and locale of the moment it is read, as a mount copies it', () => {
    const state: HostState = { theme: 'light', locale: 'en' };
    const props = createMountProps({
      state: () => state,
      getToken: () => Promise.resolve('t'),
      signOut: vi.fn(),
    });
    expect({ ...props }).toMatchObject({ theme: 'light', locale: 'en', basePath: '/k8s' });
    state.theme = 'dark';
    state.locale = 'zh-CN';
    // single-spa does Object.assign({}, customProps, …) at every mount
    const copied = Object.assign({}, props);
    expect(copied.theme).toBe('dark');
    expect(copied.locale).toBe('zh-CN');
  });

  it('passes the host token through and mounts under /k8s', async () => {
    const getToken = vi
      .fn<() => Promise<string | undefined>>()
      .mockResolvedValueOnce('token-1')
      .mockResolvedValueOnce(undefined);
    const props = createMountProps({
      state: () => ({ theme: 'light', locale: 'en' }),
      getToken,
      signOut: vi.fn(),
    });
    expect(props.basePath).toBe(subAppBasePath);
    await expect(props.getToken()).resolves.toBe('token-1');
    await expect(props.getToken()).resolves.toBeUndefined();
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it('signs the host out when the sub-app reports its session ended', () => {
    const signOut = vi.fn();
    const props = createMountProps({
      state: () => ({ theme: 'light', locale: 'en' }),
      getToken: () => Promise.resolve(undefined),
      signOut,
    });
    props.onLogout();
    expect(signOut).toHaveBeenCalledOnce();
  });
});
