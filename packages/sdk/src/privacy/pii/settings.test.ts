import { describe, expect, it } from 'vitest';
import { SightlineError } from '@sightline/protocol';
import { DEFAULTS, resolveSettings } from '../../options.js';
import { ALL_DETECTORS_ON } from './redact.js';
import { resolvePiiDetection } from './settings.js';

const context = { pageOrigin: 'https://shop.test' };

describe('resolvePiiDetection', () => {
  it('turns every detector on by default', () => {
    expect(resolvePiiDetection(undefined)).toEqual(ALL_DETECTORS_ON);
    expect(resolvePiiDetection({})).toEqual(ALL_DETECTORS_ON);
  });

  it('switches off only the detectors set to false, and ignores unknown keys', () => {
    expect(resolvePiiDetection({ phone: false, email: true, fax: false })).toEqual({
      ...ALL_DETECTORS_ON,
      phone: false,
    });
  });

  it('refuses a value that is not an object or a switch that is not a boolean', () => {
    expect(resolvePiiDetection('off')).toEqual({ error: 'piiDetection must be an object.' });
    expect(resolvePiiDetection([])).toEqual({ error: 'piiDetection must be an object.' });
    expect(resolvePiiDetection({ iban: 'no' })).toEqual({
      error: 'piiDetection.iban must be true or false.',
    });
  });
});

describe('resolveSettings: piiDetection', () => {
  it('defaults to every detector on', () => {
    expect(DEFAULTS.piiDetection).toEqual(ALL_DETECTORS_ON);
    expect(resolveSettings({}, context).piiDetection).toEqual(ALL_DETECTORS_ON);
  });

  it('takes the page switches', () => {
    expect(
      resolveSettings({ piiDetection: { cardNumbers: false, ssn: false } }, context).piiDetection,
    ).toEqual({ ...ALL_DETECTORS_ON, cardNumbers: false, ssn: false });
  });

  it('refuses an invalid switch with REQUEST_INVALID', () => {
    const settings = { piiDetection: { phone: 0 } } as unknown as Parameters<
      typeof resolveSettings
    >[0];
    expect(() => resolveSettings(settings, context)).toThrow(SightlineError);
    expect(() => resolveSettings(settings, context)).toThrow(/piiDetection\.phone/);
  });
});
