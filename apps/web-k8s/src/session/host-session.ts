// Embedded in a host: the host owns the session. Tokens come from its `getToken`, and a 401 that
// a fresh token does not fix hands control back to the host through `onLogout`.
import type { MountProps } from '@binnacle/contract';
import type { TokenSource } from '../api/request';

export function hostTokenSource(props: Pick<MountProps, 'getToken' | 'onLogout'>): TokenSource {
  let ended = false;
  return {
    token: () => props.getToken(),
    renew: () => props.getToken(),
    expired() {
      // Many requests may fail together; the host hears about it once.
      if (ended) return;
      ended = true;
      props.onLogout();
    },
  };
}
