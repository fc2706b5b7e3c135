/**
 * Crypto benchmarks: Parley's Java protocol against libsignal-client side by side in JMH
 * ({@link dev.parley.bench.crypto.CryptoBenchMain}), and the browser protocol's messages per
 * second in headless Chromium ({@link dev.parley.bench.crypto.BrowserBenchMain}). Results and
 * the commands that reproduce them are in {@code docs/BENCHMARKS.md, "End-to-end crypto"}.
 */
package dev.parley.bench.crypto;
