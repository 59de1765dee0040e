// A `changes` subscription for a server-paged view: calls `onChange` (debounced) when objects in
// the view's scope changed, and after a reconnect, when changes may have been missed.
import { LiveType } from '@binnacle/contract';
import { onScopeDispose, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { useRuntime } from '../app/runtime';
import type { LiveRequest } from '../live/live-client';
import { debounce } from '../utils/debounce';

/** Re-fetches at most this long after a change signal. */
export const refetchDelayMs = 250;

export function useLiveChanges(
  request: MaybeRefOrGetter<Omit<LiveRequest, 'mode'> | undefined>,
  onChange: () => void,
): void {
  const { live } = useRuntime();
  const refetch = debounce(onChange, refetchDelayMs);
  let stop: (() => void) | undefined;

  watch(
    () => JSON.stringify(toValue(request) ?? null),
    () => {
      stop?.();
      stop = undefined;
      const current = toValue(request);
      if (current === undefined) return;
      let acknowledged = false;
      stop = live.subscribe({ ...current, mode: 'changes' }, (message) => {
        if (message.type === LiveType.changed) refetch();
        // A second acknowledgement means the socket reconnected and subscribed again.
        if (message.type === LiveType.subscribed) {
          if (acknowledged) refetch();
          acknowledged = true;
        }
      });
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    refetch.cancel();
    stop?.();
  });
}
