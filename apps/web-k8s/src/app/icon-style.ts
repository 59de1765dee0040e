// @ant-design/icons-vue puts one base rule (`.anticon`) into <head>, outside the mount's element.
// It is shared by key with any host that uses the same icons, so it is removed on unmount only
// when the sub-app added it and no icon is left on the page.

const selector = 'style[vc-icon-key="@ant-design-vue-icons"]';

export function iconStyleGuard(): { release(): void } {
  const present = document.head.querySelector(selector) !== null;
  return {
    release() {
      if (present || document.querySelector('.anticon') !== null) return;
      document.head.querySelector(selector)?.remove();
    },
  };
}
