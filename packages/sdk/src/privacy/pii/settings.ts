/**
 * @module
 * The `piiDetection` setting: which detectors run in the customer's browser. All are on unless
 * the page switches one off; server rules can switch them back on (`mergeServerDetection`).
 */
import { ALL_DETECTORS_ON, DETECTOR_NAMES, type PiiDetection } from './redact.js';

/** What `Sightline.init({ piiDetection })` accepts: each detector on (`true`) or off. */
export interface PiiDetectionSettings {
  /**
   * Payment card numbers that pass the Luhn check (13–19 digits, spaces or dashes allowed).
   * @default true
   */
  cardNumbers?: boolean;
  /**
   * US Social Security numbers (`123-45-6789`; bare nine digits only after "SSN").
   * @default true
   */
  ssn?: boolean;
  /**
   * IBANs of the right length for their country that pass the mod-97 check.
   * @default true
   */
  iban?: boolean;
  /**
   * Email addresses.
   * @default true
   */
  email?: boolean;
  /**
   * Phone numbers: `+` international forms, North American and national formats.
   * @default true
   */
  phone?: boolean;
}

/**
 * Resolves the `piiDetection` setting: every detector not named stays on. Unknown keys are
 * ignored, as elsewhere in the settings. Returns the reason when the setting is invalid.
 */
export function resolvePiiDetection(given: unknown): PiiDetection | { error: string } {
  if (given === undefined) return ALL_DETECTORS_ON;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    return { error: 'piiDetection must be an object.' };
  }
  const settings = given as Record<string, unknown>;
  const resolved = { ...ALL_DETECTORS_ON };
  for (const name of DETECTOR_NAMES) {
    const value = settings[name];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') return { error: `piiDetection.${name} must be true or false.` };
    resolved[name] = value;
  }
  return resolved;
}
