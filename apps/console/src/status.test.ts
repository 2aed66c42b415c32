import type { ConnectionStatus } from '@sightline/agent';
import { describe, expect, it } from 'vitest';
import { statusLabel, statusTone, type StatusInputs } from './status.js';

const joined = (patch: Partial<StatusInputs>): StatusInputs => ({
  connection: 'connected',
  mirror: 'rendered',
  customerPresent: true,
  customerSeen: true,
  ...patch,
});

describe('statusLabel', () => {
  it.each<[ConnectionStatus, string]>([
    ['idle', 'connecting'],
    ['connecting', 'connecting'],
    ['reconnecting', 'reconnecting'],
    ['disconnected', 'ended'],
    ['ended', 'ended'],
    ['failed', 'failed'],
  ])('shows %s as %s whatever the page', (connection, label) => {
    expect(statusLabel(joined({ connection }))).toBe(label);
    expect(statusLabel(joined({ connection, mirror: 'empty', customerPresent: false }))).toBe(
      label,
    );
  });

  it('is live with the customer present and the page shown', () => {
    expect(statusLabel(joined({}))).toBe('live');
  });

  it('waits for the page while the customer is present but nothing is shown', () => {
    expect(statusLabel(joined({ mirror: 'empty' }))).toBe('waiting for page');
  });

  it('waits for the invited customer until they open the link, then for their consent', () => {
    const invited = { invited: true, mirror: 'empty', customerSeen: false } as const;
    expect(statusLabel(joined({ ...invited, customerPresent: false }))).toBe(
      'waiting for customer',
    );
    expect(statusTone('waiting for customer')).toBe('wait');
    expect(statusLabel(joined({ ...invited, customerPresent: true, consentPending: true }))).toBe(
      'waiting for consent',
    );
    expect(statusLabel(joined({ ...invited, customerSeen: true, customerPresent: true }))).toBe(
      'waiting for page',
    );
  });

  it('waits for the page when no customer has shown up yet', () => {
    expect(
      statusLabel(joined({ mirror: 'empty', customerPresent: false, customerSeen: false })),
    ).toBe('waiting for page');
  });

  it('waits for consent until the customer allows this agent, whatever else holds', () => {
    expect(statusLabel(joined({ mirror: 'empty', consentPending: true }))).toBe(
      'waiting for consent',
    );
    expect(statusLabel(joined({ customerPresent: false, consentPending: true }))).toBe(
      'waiting for consent',
    );
    expect(statusLabel(joined({ connection: 'ended', consentPending: true }))).toBe('ended');
  });

  it('says the customer disconnected once they were here and are gone', () => {
    expect(statusLabel(joined({ customerPresent: false }))).toBe('customer disconnected');
    expect(statusLabel(joined({ customerPresent: false, mirror: 'empty' }))).toBe(
      'customer disconnected',
    );
    expect(statusLabel(joined({ customerPresent: false, customerSeen: false }))).toBe(
      'customer disconnected',
    );
  });
});

describe('statusTone', () => {
  it('marks only live as ok', () => {
    const labels = [
      'connecting',
      'live',
      'waiting for consent',
      'waiting for page',
      'customer disconnected',
      'reconnecting',
      'ended',
      'failed',
    ] as const;
    expect(labels.filter((label) => statusTone(label) === 'ok')).toEqual(['live']);
  });
});
