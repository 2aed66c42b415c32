import { describe, expect, it } from 'vitest';
import { bannerText } from './banner.js';
import { promptText, promptTitle } from './consent-prompt.js';

describe('the words of the sharing UI', () => {
  it('names the agent and what they are in the prompt', () => {
    expect(promptTitle('Jane Doe', 'Support')).toBe('Jane Doe (Support) wants to see this page');
    expect(promptTitle('Jane Doe', '')).toBe('Jane Doe wants to see this page');
  });

  it('promises only what the masking settings keep hidden', () => {
    expect(promptText(true)).toContain('What you type in fields stays hidden from them.');
    expect(promptText(false)).not.toContain('What you type in fields stays hidden');
    expect(promptText(false)).toContain('passwords and card details always stay hidden');
  });

  it('names every agent viewing in the banner', () => {
    expect(bannerText(['Jane Doe'])).toBe('Jane Doe is viewing this page');
    expect(bannerText(['Jane Doe', 'Sam Lee'])).toBe('Jane Doe and Sam Lee are viewing this page');
    expect(bannerText(['A', 'B', 'C'])).toBe('A, B and C are viewing this page');
  });
});
