// Whether the sub-app is loading or failed to load, for the view above its container.
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const useSubAppStore = defineStore('subapp', () => {
  const loading = ref(false);
  const error = ref<string>();

  function setLoading(value: boolean): void {
    loading.value = value;
    if (value) error.value = undefined;
  }

  function fail(reason: string): void {
    loading.value = false;
    error.value = reason;
  }

  return { loading, error, setLoading, fail };
});
