import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import App from './App.vue';

describe('web-host App', () => {
  it('links to the Kubernetes sub-app', () => {
    const link = mount(App).get('a');
    expect(link.text()).toBe('Kubernetes');
    expect(link.attributes('href')).toBe('/k8s');
  });
});
