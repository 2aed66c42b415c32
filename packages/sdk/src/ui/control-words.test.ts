import { describe, expect, it } from 'vitest';
import { bannerText } from './banner.js';
import { controlAbilities, controlPromptText, controlPromptTitle } from './consent-prompt.js';
import { actionPromptText, actionPromptTitle, actionWords } from './control-words.js';
import { grantLeftText } from './grant-countdown.js';

const button = { role: 'button', label: 'Add to cart' } as const;

describe('the words of control', () => {
  it('asks for each step up in words a customer understands', () => {
    const all = controlAbilities(['scroll_page', 'click', 'hover', 'type', 'select', 'key']);
    expect(controlPromptTitle('Jane Doe', 'Support', 'controlled', all)).toBe(
      'Jane Doe (Support) asks to control this page: click and type for you',
    );
    expect(controlPromptTitle('Jane Doe', '', 'guided', all)).toBe(
      'Jane Doe asks to point and draw on this page',
    );
    expect(controlPromptTitle('Jane Doe', 'Support', 'full_control', all)).toBe(
      'Jane Doe (Support) asks for full control of this page: click and type for you without asking you each time',
    );
    expect(controlPromptTitle('Sam Lee', 'Support', 'controlled', all, 'Jane Doe')).toBe(
      'Sam Lee (Support) asks to take over control of this page from Jane Doe',
    );
    for (const mode of ['guided', 'controlled', 'full_control'] as const) {
      expect(controlPromptText(mode)).toContain('You can stop at any time');
    }
    expect(controlPromptText('controlled')).toContain('You approve each action');
  });

  it("says only what the page's remoteAssistTypes allow", () => {
    expect(controlAbilities(['scroll_page'])).toBe('scroll this page for you');
    expect(controlAbilities(['click', 'scroll_page'])).toBe('click for you');
    expect(controlAbilities(['type'])).toBe('type for you');
    expect(controlAbilities(['navigate', 'key'])).toBe('act on this page for you');
  });

  it('names the action and its target, never what is typed', () => {
    expect(actionPromptTitle('Jane Doe', { kind: 'click', nodeId: 1 }, button)).toBe(
      'Jane Doe wants to click “Add to cart”',
    );
    const note = { role: 'field', label: 'Gift note' } as const;
    const typed = actionWords(
      { kind: 'type', nodeId: 1, text: 'secret words', replace: false },
      note,
    );
    expect(typed).toBe('type 12 characters into “Gift note”');
    expect(typed).not.toContain('secret');
    expect(actionWords({ kind: 'type', nodeId: 1, text: 'x', replace: true }, note)).toBe(
      'replace the text in “Gift note” with 1 character',
    );
    const unnamed = { role: 'checkbox', label: undefined } as const;
    expect(actionWords({ kind: 'check', nodeId: 1, checked: false }, unnamed)).toBe(
      'untick a checkbox',
    );
    expect(
      actionWords({ kind: 'check', nodeId: 1, checked: true }, { role: 'radio', label: 'Express' }),
    ).toBe('select “Express”');
    const page = { role: 'page', label: undefined } as const;
    expect(actionWords({ kind: 'key', key: 'ArrowDown', shift: false }, page)).toBe(
      'press arrow Down',
    );
    expect(actionWords({ kind: 'key', key: 'Tab', shift: true }, note)).toBe(
      'press Shift+Tab in “Gift note”',
    );
    expect(actionWords({ kind: 'scroll', left: 0, top: 9 }, page)).toBe('scroll this page');
    expect(
      actionWords({ kind: 'navigate', to: 'url', url: 'https://shop.test/cart?id=7' }, page),
    ).toBe('open /cart on this site');
    expect(actionWords({ kind: 'navigate', to: 'back' }, page)).toBe(
      'go back to the previous page',
    );
    expect(actionPromptText(30_000)).toContain('within 30 seconds');
  });

  it('names the viewers, the controller and how the controller acts, in the banner', () => {
    expect(bannerText(['Jane Doe'])).toBe('Jane Doe is viewing this page');
    expect(bannerText(['Jane Doe', 'Sam Lee'], { mode: 'guided', controller: undefined })).toBe(
      'Jane Doe and Sam Lee are viewing this page and can draw on it',
    );
    expect(
      bannerText(['Jane Doe', 'Sam Lee'], { mode: 'controlled', controller: 'Jane Doe' }),
    ).toBe('Jane Doe is controlling this page, asking before each action. Sam Lee is viewing');
    expect(bannerText(['Jane Doe'], { mode: 'full_control', controller: 'Jane Doe' })).toBe(
      'Jane Doe is controlling this page',
    );
  });

  it('counts a window down in minutes and seconds, rounding up', () => {
    expect(grantLeftText(120_000)).toBe('2:00');
    expect(grantLeftText(119_001)).toBe('2:00');
    expect(grantLeftText(59_000)).toBe('0:59');
    expect(grantLeftText(1)).toBe('0:01');
    expect(grantLeftText(-5)).toBe('0:00');
  });
});
