/**
 * Short key fingerprints for the security log: the first 16 bytes of SHA-256 over a public
 * key, as hex in groups of four. They identify a key in the log; they are not safety numbers
 * (those compare two identities and are in the safety panel).
 */
export async function keyFingerprint(publicKey) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', publicKey));
  const hex = [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return hex.match(/.{4}/g).join(' ');
}
