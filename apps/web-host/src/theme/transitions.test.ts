import { afterEach, describe, expect, it } from 'vitest';
import { pauseTransitions } from './transitions';

const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));

afterEach(() => {
  document.body.replaceChildren();
});

describe('pauseTransitions', () => {
  it('turns transitions off inside the scope and back on after two frames', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    pauseTransitions(host, 'html');
    const style = host.querySelector('style[data-pause-transitions]');
    expect(style?.textContent).toContain('html *');
    expect(style?.textContent).toContain('transition: none !important');
    await frame();
    expect(host.contains(style)).toBe(true);
    await frame();
    await frame();
    expect(host.querySelector('style[data-pause-transitions]')).toBeNull();
  });
});
