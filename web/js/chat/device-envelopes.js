/**
 * One payload encrypted for every device of an account (docs/design/LINKED-DEVICES.md,
 * "Delivery"): the `devices` and `content` of a `send_message`. Texts (and the sync payloads
 * that carry texts) are fan-outs (CRYPTO.md §5): the content is encrypted once and each
 * device's envelope is its key message; receipts and typing are small, so each device gets the
 * whole message. The relayed copy of a fan-out is rebuilt by `relayedEnvelope`.
 */

import { b64, unb64, encryptFanOut, encryptPayload } from '../protocol/index.js';
import { encodeFanOut, parseFanOut } from '../protocol/fanout.js';

/** Payload types sent as a fan-out: the content once, a key message per device. */
export const FAN_OUT_TYPES = Object.freeze(new Set(['text', 'sent-transcript', 'history-chunk', 'message', 'edit', 'sent-payload']));

/**
 * Encrypts `payload` for each device of `records` (Map device id -> SessionRecord, in the
 * order to send). -> { records: Map of the updated records (store them before sending),
 * copies: { content?: base64url, devices: [{ device, envelope }] } }
 */
export async function encryptForDevices(records, payload) {
  const ids = [...records.keys()];
  if (ids.length === 0) throw new RangeError('a message goes to one device at least');
  const updated = new Map();
  if (FAN_OUT_TYPES.has(payload.type)) {
    const out = await encryptFanOut(ids.map((id) => records.get(id)), payload);
    const devices = ids.map((device, i) => {
      updated.set(device, out.records[i]);
      const { keyMessage, content } = parseFanOut(out.messages[i]);
      return { device, envelope: b64(keyMessage), content };
    });
    return { records: updated, copies: { content: b64(devices[0].content), devices: devices.map(({ device, envelope }) => ({ device, envelope })) } };
  }
  const devices = [];
  for (const device of ids) {
    const out = await encryptPayload(records.get(device), payload);
    updated.set(device, out.record);
    devices.push({ device, envelope: out.envelope });
  }
  return { records: updated, copies: { devices } };
}

/** The envelope to decrypt from a `relay_message`: with `content`, the FanOutMessage rebuilt from the key message and the content. */
export function relayedEnvelope({ envelope, content }) {
  return content === undefined ? envelope : b64(encodeFanOut(unb64(envelope), unb64(content)));
}

/** The device ids of a send's copies, in order. */
export function copiedDevices(copies) {
  return copies.devices.map((d) => d.device);
}
