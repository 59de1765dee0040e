// A theme switch changes every color at once. Without this, each component fades on its own
// transition (0.1–0.3 s), so for a moment light text sits on dark surfaces and the reverse.

const frames = 2;

/**
 * Turns CSS transitions off inside `scope` (a selector) until two frames have been drawn: long
 * enough for the new theme's styles to apply, short enough that hovers still animate afterwards.
 */
export function pauseTransitions(host: ParentNode, scope: string): void {
  const style = document.createElement('style');
  style.dataset.pauseTransitions = '';
  style.textContent = `${scope}, ${scope} *, ${scope} *::before, ${scope} *::after { transition: none !important; }`;
  host.append(style);
  let left = frames;
  const tick = (): void => {
    left -= 1;
    if (left > 0) requestAnimationFrame(tick);
    else style.remove();
  };
  requestAnimationFrame(tick);
}
