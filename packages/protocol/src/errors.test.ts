import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CloseCode } from './close-codes.js';
import {
  ErrorCode,
  SightlineError,
  errorNameOf,
  toSightlineError,
  type ErrorName,
} from './errors.js';

const docsPath = new URL('../../../docs/errors.md', import.meta.url);

interface DocRow {
  code: number;
  name: string;
  http: number;
  close: number;
  retryable: boolean;
}

function readDocRows(): DocRow[] {
  return readFileSync(docsPath, 'utf8')
    .split('\n')
    .filter((line) => /^\|\s*\d{4}\s*\|/.test(line))
    .map((line) => {
      const cells = line.split('|').map((cell) => cell.trim());
      return {
        code: Number(cells[1]),
        name: cells[2] ?? '',
        http: Number(cells[3]),
        close: Number(cells[4]),
        retryable: cells[5] === 'yes',
      };
    });
}

describe('the error catalogue', () => {
  const names = Object.keys(ErrorCode) as ErrorName[];

  it('matches docs/errors.md row for row, with no stale or missing codes', () => {
    const fromCatalogue = names.map((name) => {
      const e = ErrorCode[name];
      return { code: e.code, name, http: e.httpStatus, close: e.closeCode, retryable: e.retryable };
    });
    expect(readDocRows()).toEqual(fromCatalogue);
  });

  it('uses each number once', () => {
    const codes = names.map((name) => ErrorCode[name].code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("keeps Zoom's numbers for Zoom's meanings", () => {
    expect(ErrorCode.SESSION_JOIN_PIN_NOT_FOUND.code).toBe(1006);
    expect(ErrorCode.SESSION_AGENT_COUNT_LIMIT.code).toBe(1013);
    expect(ErrorCode.TOKEN_INVALID.code).toBe(2001);
    expect(ErrorCode.UNDEFINED.code).toBe(9999);
  });

  it('maps close codes to 4000 + HTTP status, except the final "session ended"', () => {
    for (const name of names) {
      const e = ErrorCode[name];
      if (e.closeCode === CloseCode.DO_NOT_RECONNECT) continue;
      expect(e.closeCode, name).toBe(4000 + e.httpStatus);
    }
  });
});

describe('SightlineError', () => {
  it('carries the catalogue entry and appends the reason', () => {
    const error = new SightlineError('TOKEN_INVALID', 'Token expired.');
    expect(error).toMatchObject({
      code: 2001,
      errorName: 'TOKEN_INVALID',
      httpStatus: 401,
      closeCode: 4401,
      retryable: false,
      message: 'The token is invalid. Token expired.',
    });
    expect(error.toBody()).toEqual({
      error: { code: 2001, name: 'TOKEN_INVALID', message: 'The token is invalid. Token expired.' },
    });
  });

  it('looks names up by number', () => {
    expect(errorNameOf(1006)).toBe('SESSION_JOIN_PIN_NOT_FOUND');
    expect(errorNameOf(1234)).toBeUndefined();
  });

  it('turns anything thrown into UNDEFINED without exposing its message', () => {
    const wrapped = toSightlineError(new Error('database password is hunter2'));
    expect(wrapped.errorName).toBe('UNDEFINED');
    expect(wrapped.message).not.toContain('hunter2');
    expect(wrapped.cause).toBeInstanceOf(Error);
    const plain = toSightlineError({ weird: true });
    expect(plain.code).toBe(9999);
    const same = new SightlineError('FORBIDDEN');
    expect(toSightlineError(same)).toBe(same);
  });
});
