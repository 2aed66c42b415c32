import { describe, expect, it } from 'vitest';
import { CloseCode, shouldReconnect } from './close-codes.js';
import { PROTOCOL_MAJOR, PROTOCOL_VERSION, protocolMajorOf } from './version.js';

describe('shouldReconnect', () => {
  it('retries network drops and transient server codes', () => {
    for (const code of [1001, 1006, 1011, 4408, 4429, 4500, 4503]) {
      expect(shouldReconnect(code), String(code)).toBe(true);
    }
  });

  it('never retries a normal close, a refusal, or the end of the session', () => {
    for (const code of [
      1000,
      4400,
      4401,
      4403,
      4404,
      4409,
      4413,
      4426,
      CloseCode.DO_NOT_RECONNECT,
    ]) {
      expect(shouldReconnect(code), String(code)).toBe(false);
    }
  });
});

describe('protocol version', () => {
  it('parses majors and refuses junk', () => {
    expect(protocolMajorOf(PROTOCOL_VERSION)).toBe(PROTOCOL_MAJOR);
    expect(protocolMajorOf('2.7')).toBe(2);
    expect(protocolMajorOf('1')).toBeUndefined();
    expect(protocolMajorOf('1.0.0')).toBeUndefined();
    expect(protocolMajorOf('v1.0')).toBeUndefined();
  });
});
