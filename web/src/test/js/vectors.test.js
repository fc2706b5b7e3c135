/**
 * Replays the shared vectors of one folder (`/vectors/js/` or `/vectors/java/`) in Chromium:
 * one test per file. `args = { dir, files }`.
 */

import { createSuite, Skip } from './harness.js';
import { VERIFIERS } from './vectors.js';

export async function run({ dir, files }) {
  const { test, run: runSuite } = createSuite();
  for (const file of files) {
    test(`${dir}${file}`, async () => {
      const verify = VERIFIERS[file];
      if (!verify) throw new Skip(`no verifier for ${file}`);
      const res = await fetch(`${dir}${file}`);
      if (!res.ok) throw new Error(`${dir}${file}: HTTP ${res.status}`);
      await verify(await res.json());
    });
  }
  return runSuite();
}
