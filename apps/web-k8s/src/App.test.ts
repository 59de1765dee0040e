import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import App from './App.vue';

describe('web-k8s App', () => {
  it('renders its heading and the base path it was given', () => {
    const wrapper = mount(App, { props: { basePath: '/k8s' } });
    expect(wrapper.get('h1').text()).toBe('Binnacle');
    expect(wrapper.text()).toContain('at /k8s');
  });
});
