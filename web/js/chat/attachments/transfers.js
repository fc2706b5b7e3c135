/**
 * The files being sent and fetched in this tab, so that a view drawn again (a message whose
 * state changed, a conversation opened again) shows the transfer that is already running
 * instead of starting another. One upload per conversation at a time, one download per
 * message.
 *
 * A Transfer is an Emitter ('change' after every step): `state` 'running' | 'done' | 'failed'
 * | 'cancelled', `sent` and `total` (blob bytes), `error` (in words), `result` (the verified
 * Blob of a download). It leaves the registry when it ends.
 */

import { Emitter } from '../../lib/emitter.js';
import { uploadAttachment } from './upload.js';
import { downloadAttachment } from './download.js';

export class Transfer extends Emitter {
  state = 'running';
  sent = 0;
  total = 0;
  error = null;
  result = null;
  #controller = new AbortController();

  constructor(total = 0) {
    super();
    this.total = total;
  }

  get signal() {
    return this.#controller.signal;
  }

  cancel() {
    if (this.state !== 'running') return;
    this.#controller.abort();
    this.#end('cancelled');
  }

  progress(sent, total) {
    if (this.state !== 'running') return;
    this.sent = sent;
    this.total = total;
    this.emit('change', this);
  }

  /** Runs `work(signal, onProgress)` and records how it ended. */
  async run(work) {
    try {
      const result = await work(this.signal, (sent, total) => this.progress(sent, total));
      if (this.signal.aborted) return;
      this.result = result;
      this.#end('done');
    } catch (e) {
      if (this.signal.aborted) return;
      this.error = e;
      this.#end('failed');
    }
  }

  #end(state) {
    this.state = state;
    this.emit('change', this);
  }
}

const uploads = new Map();
const downloads = new Map();

/** Keeps `transfer` under `key` while it runs (a cancelled one leaves at once, so another can start). */
function track(registry, key, transfer) {
  registry.set(key, transfer);
  const off = transfer.on('change', () => {
    if (transfer.state === 'running') return;
    off();
    if (registry.get(key) === transfer) registry.delete(key);
  });
}
/** The upload running in `conversation`, or null. */
export function runningUpload(conversation) {
  return uploads.get(conversation) ?? null;
}

/**
 * Uploads `file` and sends it as a message in `conversation` (a username or a group id) with
 * the messenger; a cancelled upload is never sent.
 */
export function sendFile(messenger, conversation, file) {
  if (uploads.has(conversation)) throw new Error('A file is already being sent in this conversation.');
  const transfer = new Transfer(file.size);
  /** For the composer's progress line (shown only in this tab). */
  transfer.fileName = file.name;
  track(uploads, conversation, transfer);
  transfer.run(async (signal, onProgress) => {
    const attachment = await uploadAttachment(messenger, file, { signal, onProgress });
    signal.throwIfAborted();
    return messenger.sendMessage(conversation, { text: '', attachment });
  });
  return transfer;
}

/** The download of message `id`, or null. */
export function runningDownload(id) {
  return downloads.get(id) ?? null;
}

/** Downloads and verifies the attachment of message `id`; the transfer's `result` is the verified Blob. */
export function fetchFile(id, attachment) {
  const running = downloads.get(id);
  if (running) return running;
  const transfer = new Transfer(attachment.size);
  track(downloads, id, transfer);
  transfer.run((signal, onProgress) => downloadAttachment(attachment, { signal, onProgress }));
  return transfer;
}
