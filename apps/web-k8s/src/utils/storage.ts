// localStorage under the sub-app's own prefix, so it never collides with the host's keys.
const prefix = 'binnacle.k8s.';

export function readSetting(key: string): string | undefined {
  try {
    return window.localStorage.getItem(prefix + key) ?? undefined;
  } catch {
    return undefined;
  }
}

export function writeSetting(key: string, value: string): void {
  try {
    window.localStorage.setItem(prefix + key, value);
  } catch {
    // Storage can be full or disabled; a setting not remembered is not an error worth showing.
  }
}
