// The connection owns the hard parts: one websocket, hello with `since` to resume, the outbox
// sent and resent, acks and refusals handed to the replica, reconnecting with backoff and
// jitter, and the browser's own online/offline signals. Everything else only listens.
//
// Why online/offline events as well as the socket's close: a browser that loses its network
// does not always close an open websocket (Chromium keeps it open and silently holds what
// arrives, ENVIRONMENT.md pitfall 4), so waiting for `close` alone could leave someone
// believing they are connected. We close the socket ourselves on `offline` and reconnect at
// once on `online`, and treat an op left unacknowledged for too long as a dead connection.

import { CLIENT, CLOSE, FATAL_ERRORS, SERVER, checkMessage, frameReader, hello, opMessage } from "../protocol.js";

/**
 * @typedef {import("./replica.js").Replica} Replica
 * @typedef {import("./outbox.js").Outbox} Outbox
 * @typedef {"connecting" | "online" | "offline" | "reconnecting" | "closed"} State
 */

export const BACKOFF_FIRST_MS = 250;
export const BACKOFF_MAX_MS = 10_000;
/** Reconnect delays double from 250 ms to 10 s, each ±50 % at random, so a room full of people
 * coming back after a server restart does not arrive at once (docs/protocol.md, close codes). */
export const WELCOME_TIMEOUT_MS = 10_000;
/** A socket that has not welcomed us by then is given up and retried. */
export const ACK_TIMEOUT_MS = 15_000;
/** An op sent this long ago with no answer while nothing else arrived: the link is dead. */
export const SEND_RATE = 30;
export const SEND_BURST = 120;
/** Our own pace, below the server's (50 a second, bursts of 200: limits.py), so resending a
 * long outbox never trips `rate_limited`, which drops messages without naming them. */
export const BYTE_PACE = 0.75;
/** A participant's share of the server's byte rate per socket (`socket_bytes_per_second`,
 * `socket_bytes_burst`) that we use, for the same reason: a long outbox of pen strokes. */

/** Close codes after which retrying cannot help: the person has to act. */
const FINAL_CLOSES = new Set([CLOSE.POLICY, CLOSE.TOO_BIG, CLOSE.WORKSHOP_DELETED]);

export class Connection extends EventTarget {
  /**
   * @param {{url: string, board: string, version: number, replica: Replica, outbox: Outbox,
   *   limits: Record<string, number>}} options
   */
  constructor({ url, board, version, replica, outbox, limits }) {
    super();
    this.url = url;
    this.board = board;
    this.version = version;
    this.replica = replica;
    this.outbox = outbox;
    this.limits = limits;
    /** @type {State} */
    this.state = "connecting";
    /** @type {WebSocket | null} */
    this.socket = null;
    /** Increases with each socket, so the outbox knows what was sent on this one. */
    this.generation = 0;
    this.welcomed = false;
    this.attempt = 0;
    /** Why the connection ended for good (an i18n key), when it did. @type {string | null} */
    this.reason = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.retryTimer = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.flushTimer = null;
    this.lastHeard = 0;
    this.sentAt = 0;
    this.tokens = SEND_BURST;
    this.tokensAt = performance.now();
    /** Bytes we may send now; paced for participants only (facilitators' sockets have no
     * byte rate). */
    this.byteTokens = 0;
    this.paceBytes = false;
    this.onOnline = () => this.connectNow();
    this.onOffline = () => this.goOffline();
    this.watchdog = setInterval(() => this.checkAlive(), 2_000);
  }

  start() {
    addEventListener("online", this.onOnline);
    addEventListener("offline", this.onOffline);
    if (navigator.onLine === false) this.setState("offline");
    else this.open();
  }

  stop() {
    removeEventListener("online", this.onOnline);
    removeEventListener("offline", this.onOffline);
    clearInterval(this.watchdog);
    this.clearTimers();
    this.drop(CLOSE.NORMAL);
  }

  // -- the socket ---------------------------------------------------------------------------

  open() {
    this.clearTimers();
    this.drop(CLOSE.NORMAL);
    this.generation += 1;
    this.welcomed = false;
    const generation = this.generation;
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    const welcomeTimer = setTimeout(() => {
      if (this.socket === socket && !this.welcomed) this.lost();
    }, WELCOME_TIMEOUT_MS);
    socket.addEventListener("open", () => {
      if (this.socket !== socket) return;
      const since = this.replica.ready ? this.replica.seq : null;
      this.write(hello(this.version, this.board, since));
    });
    socket.binaryType = "arraybuffer";
    const read = frameReader((message) => {
      if (this.socket === socket) this.receive(message, generation);
    });
    socket.addEventListener("message", (event) => {
      if (this.socket !== socket) return;
      this.lastHeard = performance.now();
      read(event.data);
    });
    socket.addEventListener("close", (event) => {
      clearTimeout(welcomeTimer);
      if (this.socket !== socket) return;
      this.socket = null;
      if (FINAL_CLOSES.has(event.code)) {
        if (event.code === CLOSE.WORKSHOP_DELETED) {
          // Nothing waiting can ever be sent: do not keep it on the device.
          this.outbox.entries = [];
          this.outbox.save();
        }
        this.close(event.code === CLOSE.WORKSHOP_DELETED ? "board.status.deleted" : "board.status.refused");
      } else {
        this.lost();
      }
    });
  }

  /** @param {number} code */
  drop(code) {
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) {
      try {
        socket.close(code);
      } catch {
        // already closing
      }
    }
  }

  /** The socket went away, or is useless: try again, sooner if we were welcomed. */
  lost() {
    this.drop(CLOSE.NORMAL);
    if (this.state === "closed") return;
    // Offline, the `online` event brings us back at once; the slow retry is for browsers
    // whose idea of being offline is wrong.
    this.setState(navigator.onLine === false ? "offline" : this.replica.ready ? "reconnecting" : "connecting");
    this.scheduleRetry();
  }

  scheduleRetry() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt);
    const delay = base * (0.5 + Math.random());
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  /** Back online (or asked to retry now): skip the backoff. */
  connectNow() {
    if (this.state === "closed") return;
    this.attempt = 0;
    this.setState(this.replica.ready ? "reconnecting" : "connecting");
    this.open();
  }

  goOffline() {
    if (this.state === "closed") return;
    this.clearTimers();
    this.drop(CLOSE.NORMAL);
    this.setState("offline");
    this.scheduleRetry();
  }

  /** @param {string} reason an i18n key */
  close(reason) {
    this.reason = reason;
    this.clearTimers();
    this.drop(CLOSE.NORMAL);
    this.setState("closed");
  }

  clearTimers() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.retryTimer = this.flushTimer = null;
  }

  /** An op unanswered for ACK_TIMEOUT_MS with nothing heard since it left: reconnect. */
  checkAlive() {
    if (this.state !== "online" || !this.sentAt) return;
    const now = performance.now();
    if (this.outbox.size > 0 && now - this.sentAt > ACK_TIMEOUT_MS && now - this.lastHeard > ACK_TIMEOUT_MS) {
      this.lost();
    }
  }

  // -- receiving ----------------------------------------------------------------------------

  /** @param {any} message @param {number} generation */
  receive(message, generation) {
    switch (message.type) {
      case SERVER.WELCOME:
        this.welcomed = true;
        this.attempt = 0;
        this.paceBytes = message.role !== "facilitator";
        this.byteTokens = this.byteBurst();
        this.replica.welcome(message.mine ?? []);
        this.emit("welcome", message);
        if (this.replica.ready && message.seq === this.replica.seq) this.caughtUp();
        this.flush();
        break;
      case SERVER.SNAPSHOT:
        this.replica.snapshot(message);
        this.caughtUp();
        break;
      case SERVER.OWN:
        this.replica.own(message);
        break;
      case SERVER.OPS:
        if (this.replica.applyOps(message) === "gap") {
          this.lost(); // reconnecting with our seq repairs it
          return;
        }
        if (this.state !== "online") this.caughtUp();
        break;
      case SERVER.ACK:
        this.replica.ack(message.ops);
        this.sentAt = this.outbox.size > 0 ? performance.now() : 0;
        this.emit("pending", { count: this.outbox.size });
        break;
      case SERVER.ERROR:
        this.refused(message, generation);
        break;
      default:
        // presence, cursors, signal, notice and whatever later versions add: for listeners
        this.emit(message.type, message);
    }
  }

  caughtUp() {
    if (this.state !== "online") this.setState("online");
  }

  /** @param {{id: string | null, code: string, field: string, message: string}} error @param {number} generation */
  refused(error, generation) {
    if (FATAL_ERRORS.has(error.code)) {
      this.close(`error.${error.code}`);
      this.emit("error", error);
      return;
    }
    const op = error.id ? this.replica.refuse(error.id) : undefined;
    this.emit("error", { ...error, op });
    this.emit("pending", { count: this.outbox.size });
    if (error.code === "rate_limited" && generation === this.generation) {
      // The server dropped some messages without naming them: resend on a fresh socket.
      setTimeout(() => generation === this.generation && this.lost(), 1_000);
    }
  }

  // -- sending ------------------------------------------------------------------------------

  /**
   * Queue an op (optimistic: the replica shows it at once) and send it when we can.
   * @param {string} opId @param {import("../protocol.js").Op} op @param {{merge?: boolean}} [options]
   * @returns {{id: string} | {refused: string}} the outbox entry's id, or an i18n key saying why not
   */
  submit(opId, op, options = {}) {
    const problem = checkMessage(this.limits, opMessage(opId, op));
    if (problem) return { refused: problem };
    if (this.outbox.full) return { refused: "board.outbox_full" };
    const id = this.replica.submit(opId, op, options);
    this.emit("pending", { count: this.outbox.size });
    this.flush();
    return { id };
  }

  /** Send every outbox entry not yet sent on this socket, at our own pace. */
  flush() {
    if (!this.welcomed || !this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    if (this.flushTimer) return;
    for (const entry of this.outbox.unsent(this.generation)) {
      const text = JSON.stringify(opMessage(entry.id, entry.op));
      if (!this.take(text.length)) {
        this.flushTimer = setTimeout(() => {
          this.flushTimer = null;
          this.flush();
        }, 1000 / SEND_RATE);
        return;
      }
      entry.sent = this.generation;
      if (!this.sentAt) this.sentAt = performance.now();
      this.writeText(text);
    }
  }

  /**
   * A message that matters only now (a cursor, a signal): sent if we are connected and within
   * our pace, otherwise dropped.
   * @param {Record<string, any>} message @returns {boolean} whether it went
   */
  sendVolatile(message) {
    if (!this.welcomed || !this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    if (message.type === CLIENT.CURSOR && this.tokens < SEND_BURST / 2) return false; // ops first
    if (!this.take()) return false;
    this.write(message);
    return true;
  }

  /** One token of our send pace, and `bytes` of our byte pace. @param {number} [bytes] */
  take(bytes = 0) {
    const now = performance.now();
    const seconds = (now - this.tokensAt) / 1000;
    this.tokens = Math.min(SEND_BURST, this.tokens + seconds * SEND_RATE);
    const byteRate = BYTE_PACE * (this.limits.socket_bytes_per_second ?? Infinity);
    this.byteTokens = Math.min(this.byteBurst(), this.byteTokens + seconds * byteRate);
    this.tokensAt = now;
    // A message bigger than the whole burst waits for a full bucket, then goes.
    const enough = !this.paceBytes || this.byteTokens >= Math.min(bytes, this.byteBurst());
    if (this.tokens < 1 || !enough) return false;
    this.tokens -= 1;
    if (this.paceBytes) this.byteTokens -= bytes;
    return true;
  }

  byteBurst() {
    return BYTE_PACE * (this.limits.socket_bytes_burst ?? Infinity);
  }

  /** @param {Record<string, any>} message */
  write(message) {
    this.writeText(JSON.stringify(message));
  }

  /** @param {string} text */
  writeText(text) {
    try {
      this.socket?.send(text);
    } catch {
      this.lost();
    }
  }

  /** @param {State} state */
  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit("status", { state, pending: this.outbox.size, reason: this.reason });
  }

  /** @param {string} type @param {any} detail */
  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
