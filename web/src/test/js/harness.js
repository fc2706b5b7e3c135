/**
 * A minimal test runner for Chromium: a suite collects named async tests and `run()` returns
 * `{ tests: [{ name, status, message }] }` for the Java side (JsSuite.java), which turns each
 * entry into a JUnit test.
 */

import { equalBytes, hex } from '/web/js/protocol/encoding.js';
import { ProtocolError } from '/web/js/protocol/errors.js';

export class Skip extends Error {}

export function createSuite() {
  const tests = [];
  return {
    test(name, fn) {
      tests.push({ name, fn });
    },
    async run() {
      const results = [];
      for (const { name, fn } of tests) {
        const started = performance.now();
        try {
          await fn();
          results.push({ name, status: 'passed', ms: Math.round(performance.now() - started) });
        } catch (e) {
          if (e instanceof Skip) results.push({ name, status: 'skipped', message: e.message });
          else results.push({ name, status: 'failed', message: `${e && e.name}: ${e && e.message}\n${e && e.stack}` });
        }
      }
      return { tests: results };
    },
  };
}

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

export function assertEqual(actual, expected, message) {
  if (actual !== expected) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export function assertBytes(actual, expected, message) {
  if (!equalBytes(actual, expected)) throw new Error(`${message}: expected ${hex(expected)}, got ${hex(actual)}`);
}

/** Awaits `fn()` and requires a ProtocolError with `code` (any code when null); returns it. */
export async function assertRejects(fn, code, message) {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw new Error(`${message}: expected ProtocolError ${code}, got ${e && e.name}: ${e && e.message}`);
    if (code !== null && e.code !== code) throw new Error(`${message}: expected code ${code}, got ${e.code} (${e.message})`);
    return e;
  }
  throw new Error(`${message}: expected a ProtocolError ${code ?? ''}, but it succeeded`);
}
