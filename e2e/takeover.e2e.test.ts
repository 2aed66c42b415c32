/**
 * Issue 3, 1015 in the console (ADR 0007): an agent who opens the same session in a second window
 * takes it over. The first window says so in words and does not try to take it back; the second
 * shows the page live, and the customer was not asked again.
 */
import { describe, expect, it } from 'vitest';
import { agentAsksToJoin, agentJoins, customerAsksForHelp, expectStatus } from './support/flows.js';
import { useStack } from './support/stack.js';

const stack = useStack();

describe('the same agent in a second window', () => {
  it('takes the session over; the first window says so and stays closed', async () => {
    const { page: customer, pin } = await customerAsksForHelp(stack.browser, stack.server);
    const first = await agentJoins(stack.browser, stack.server, pin, customer);
    const second = await agentAsksToJoin(stack.browser, stack.server, pin);
    // Allowed already: no question, the page at once.
    await expectStatus(second, 'live');
    await expectStatus(first, 'failed');
    const notice = await first.textContent('[data-testid="session-over"]');
    expect(notice).toContain('Opened elsewhere');
    expect(notice).toContain('opened in another window');
    // Not retried: the second window keeps the session.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await expectStatus(second, 'live');
    await expectStatus(first, 'failed');
    await customer.context().close();
    await first.context().close();
    await second.context().close();
  });
});
