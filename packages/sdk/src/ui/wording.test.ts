import { describe, expect, it } from 'vitest';
import { bannerText } from './banner.js';
import {
  extensionPromptText,
  extensionPromptTitle,
  promptText,
  promptTitle,
} from './consent-prompt.js';
import { inviteNoticeWords } from './invite-notice.js';

describe('the words of the sharing UI', () => {
  it('names the agent and what they are in the prompt', () => {
    expect(promptTitle('Jane Doe', 'Support')).toBe('Jane Doe (Support) wants to see this page');
    expect(promptTitle('Jane Doe', '')).toBe('Jane Doe wants to see this page');
  });

  it('asks for more time in whole minutes, naming the agent', () => {
    expect(extensionPromptTitle('Jane Doe', 'Support', 15 * 60_000)).toBe(
      'Jane Doe (Support) asks to continue this session for 15 more minutes',
    );
    expect(extensionPromptTitle('Jane Doe', '', 60_000)).toBe(
      'Jane Doe asks to continue this session for 1 more minute',
    );
    expect(extensionPromptText()).toContain('You can stop sharing at any time.');
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

  it('says in words why an invitation link cannot be used, and what to do', () => {
    expect(inviteNoticeWords(3012, '').title).toBe('This link has expired');
    expect(inviteNoticeWords(3013, '').title).toBe('This link was already used');
    expect(inviteNoticeWords(3011, '').title).toBe('This link is not valid');
    for (const code of [3011, 3012, 3013, 4004]) {
      expect(inviteNoticeWords(code, 'raw').text).toMatch(/Ask your support agent/);
    }
    expect(inviteNoticeWords(1016, 'The network failed.')).toEqual({
      title: 'Could not connect you to support',
      text: 'The network failed.',
    });
  });
});
