// One board watched over a socket of its own, read-only: its objects and settings as the server
// sends them (snapshot, then ops in seq order), and the server's clock for its timer. The
// gallery and the presenter screen watch many boards at once this way; they never send an op.
import { SERVER, frameReader, hello, normalise } from "../protocol.js";

/** Reconnect after this long, in ms (doubling to a minute). */
const RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;

/**
 * @typedef {{id: string, number: number}} BoardRef
 * @typedef {{objects: Map<string, any>, settings: Record<string, any>, offset: number}} Replica
 *   `offset`: the server's clock minus this page's, in ms (for the timer).
 * @typedef {{protocol: number, board: BoardRef, onChange: (replica: Replica) => void, onPresence?: () => void, onSnapshot?: () => void, onNotice?: (notice: any) => void}} WatchOptions
 */

/**
 * Watch a board until `close()`: `onChange` after every snapshot and every frame of ops,
 * `onPresence` when people come or go, `onSnapshot` each time the socket has (re)connected and
 * caught up (a notice sent meanwhile was missed), `onNotice` for every notice.
 * @param {WatchOptions} options
 * @returns {{close: () => void, replica: Replica}}
 */
export function watchBoard(options) {
  /** @type {Replica} */
  const replica = { objects: new Map(), settings: {}, offset: 0 };
  let closed = false;
  let wait = RETRY_MS;
  /** @type {WebSocket | null} */
  let socket = null;

  function receive(/** @type {any} */ message) {
    if (message.type === SERVER.WELCOME) {
      replica.offset = Number(message.now ?? Date.now()) - Date.now();
    } else if (message.type === SERVER.SNAPSHOT) {
      replica.objects = new Map(message.objects.map((/** @type {any} */ obj) => [obj.id, normalise(obj)]));
      replica.settings = { ...message.settings };
      wait = RETRY_MS;
      options.onChange(replica);
      options.onSnapshot?.();
    } else if (message.type === SERVER.OWN) {
      // one's own private objects, after a compressed snapshot shared with everyone
      for (const obj of message.objects) replica.objects.set(obj.id, normalise(obj));
      options.onChange(replica);
    } else if (message.type === SERVER.OPS) {
      for (const entry of message.ops) apply(replica, entry.changes);
      options.onChange(replica);
    } else if (message.type === SERVER.PRESENCE) {
      options.onPresence?.();
    } else if (message.type === "notice") {
      if (message.kind === "clock") replica.offset = Number(message.now) - Date.now();
      options.onNotice?.(message);
    }
  }

  function connect() {
    if (closed) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const opened = new WebSocket(`${scheme}://${location.host}/ws`);
    socket = opened;
    opened.binaryType = "arraybuffer";
    opened.addEventListener("open", () => opened.send(JSON.stringify(hello(options.protocol, options.board.id, null))));
    const read = frameReader(receive);
    opened.addEventListener("message", (event) => read(event.data));
    opened.addEventListener("close", () => {
      if (closed) return;
      setTimeout(connect, wait);
      wait = Math.min(MAX_RETRY_MS, wait * 2);
    });
  }
  connect();
  return {
    replica,
    close() {
      closed = true;
      socket?.close(1000);
    },
  };
}

/** @param {Replica} replica @param {any[]} changes */
function apply(replica, changes) {
  const { objects } = replica;
  for (const change of changes) {
    if (change.op === "put") objects.set(change.obj.id, normalise(change.obj));
    else if (change.op === "patch" && objects.has(change.id)) objects.set(change.id, { ...objects.get(change.id), ...change.props });
    else if (change.op === "del") objects.delete(change.id);
    else if (change.op === "settings") replica.settings = { ...replica.settings, ...change.props };
  }
}
