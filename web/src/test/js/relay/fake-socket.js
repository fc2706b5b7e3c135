/**
 * A stand-in for the browser's WebSocket, installed as `globalThis.WebSocket` by the
 * multi-device tests, so the client's real Connection (challenge, login, reconnects) talks to
 * a TestRelay: in the same page (`inPage(relay)`), or from a device in a window of another
 * origin (its own IndexedDB) through postMessage (`throughOpener()` there, `serveWindow(win, relay)`
 * in the page that opened it).
 */

let nextSocket = 1;

export function installFakeWebSocket(connect) {
  class FakeWebSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSED = 3;
    readyState = 0;
    #server = null;

    constructor() {
      setTimeout(() => {
        this.readyState = 1;
        // The server's frames and its close reach the client in the order they were sent.
        this.#server = connect({
          send: (text) => setTimeout(() => { if (this.readyState === 1) this.onmessage?.({ data: text }); }),
          close: () => setTimeout(() => this.#ended()),
        });
      });
    }

    send(text) {
      if (this.readyState !== 1) throw new Error('socket not open');
      const server = this.#server;
      setTimeout(() => server.receive(text));
    }

    close() {
      if (this.readyState === 3) return;
      this.#server?.closed();
      this.#ended();
    }

    #ended() {
      if (this.readyState === 3) return;
      this.readyState = 3;
      setTimeout(() => this.onclose?.({}));
    }
  }
  globalThis.WebSocket = FakeWebSocket;
}

/** Sockets of this page go to `relay` directly. */
export function inPage(relay) {
  return (client) => relay.accept(client);
}

/** In an opened window: sockets are carried to the opener, which serves them with its relay. */
export function throughOpener() {
  const clients = new Map();
  addEventListener('message', (event) => {
    const m = event.data;
    if (m?.channel !== 'sock') return;
    const client = clients.get(m.sock);
    if (m.op === 'message') client?.send(m.data);
    else if (m.op === 'close') client?.close();
  });
  return (client) => {
    const sock = nextSocket++;
    clients.set(sock, client);
    opener.postMessage({ channel: 'sock', sock, op: 'open' }, '*');
    return {
      receive: (data) => opener.postMessage({ channel: 'sock', sock, op: 'send', data }, '*'),
      closed: () => opener.postMessage({ channel: 'sock', sock, op: 'close' }, '*'),
    };
  };
}

/** In the page: serves the sockets of the device in window `win` with `relay`. */
export function serveWindow(win, relay) {
  const servers = new Map();
  addEventListener('message', (event) => {
    const m = event.data;
    if (event.source !== win || m?.channel !== 'sock') return;
    const post = (op, data) => win.postMessage({ channel: 'sock', sock: m.sock, op, data }, '*');
    if (m.op === 'open') servers.set(m.sock, relay.accept({ send: (text) => post('message', text), close: () => post('close') }));
    else if (m.op === 'send') servers.get(m.sock)?.receive(m.data);
    else if (m.op === 'close') servers.get(m.sock)?.closed();
  });
}
