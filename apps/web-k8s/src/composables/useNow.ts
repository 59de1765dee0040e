// A clock for ages on screen: ticks every few seconds while the component lives.
import { onScopeDispose, ref } from 'vue';

export function useNow(intervalMs = 5000) {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), intervalMs);
  onScopeDispose(() => {
    clearInterval(timer);
  });
  return now;
}
