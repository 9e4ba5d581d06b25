// Comments: threads pinned on an object or on a point of the canvas, with replies one level
// deep, and no names: everyone's comments read "Anonymous" (your own read "You", on your
// screen only). The author or a facilitator can resolve a thread, reopen it, or delete a
// comment. Pins float over the board at a constant size; the thread opens in a panel.

import { el, setText } from "../dom.js";
import { language, t, tn } from "../i18n.js";
import { newId, textLength } from "../protocol.js";
import { bounds } from "./geometry.js";

/**
 * What comments use of the board, and nothing else.
 * @typedef {object} CommentsBoard
 * @property {string} role facilitators may resolve and remove anyone's comments
 * @property {Record<string, number>} limits max_comment_text
 * @property {import("./replica.js").Replica} replica the comments and what they are pinned on
 * @property {import("./viewport.js").Viewport} viewport places the pins on the screen
 * @property {import("./actions.js").Actions} actions adds, resolves and removes comments
 * @property {() => boolean} canEdit whether this person may change the board now
 * @property {(text: string, kind?: "info" | "error") => void} notify says why a comment cannot go
 */

/**
 * @typedef {import("../protocol.js").BoardObject} BoardObject
 * @typedef {{root: BoardObject, replies: BoardObject[]}} Thread
 * @typedef {{target: string} | {x: number, y: number}} Pin
 */

export class Comments {
  /** @param {CommentsBoard} board @param {HTMLElement} layer where pins go @param {HTMLElement} panels where the thread opens */
  constructor(board, layer, panels) {
    this.board = board;
    this.layer = layer;
    /** @type {Map<string, Thread>} */
    this.threads = new Map();
    /** @type {Map<string, HTMLButtonElement>} */
    this.pins = new Map();
    /** Comment ids we know of, to notice when one goes. @type {Set<string>} */
    this.known = new Set();
    /** Objects that carry a thread, to move pins with them. @type {Set<string>} */
    this.anchors = new Set();
    /** The thread open in the panel (a root comment id), or a new one being written. @type {string | Pin | null} */
    this.open = null;
    this.panel = el("section", { class: "panel comment-panel", "data-ui": "comments", "aria-labelledby": "comment-panel-title", hidden: true });
    panels.append(this.panel);
    board.replica.addEventListener("objects", (event) => {
      const { ids, reset } = /** @type {CustomEvent} */ (event).detail;
      if (reset || [...ids].some((id) => this.known.has(id) || this.anchors.has(id) || board.replica.get(id)?.type === "comment")) {
        this.index();
        this.draw();
        if (this.open) this.render();
      }
    });
    board.viewport.addEventListener("frame", () => this.draw());
  }

  /** Rebuild the threads from the replica (comments are few next to everything else). */
  index() {
    /** @type {Map<string, Thread>} */
    const threads = new Map();
    /** @type {BoardObject[]} */
    const replies = [];
    this.known = new Set();
    for (const obj of this.board.replica.view.values()) {
      if (obj.type !== "comment") continue;
      this.known.add(obj.id);
      if (obj.parent) replies.push(obj);
      else threads.set(obj.id, { root: obj, replies: [] });
    }
    for (const reply of replies) threads.get(reply.parent)?.replies.push(reply);
    for (const thread of threads.values()) thread.replies.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1));
    this.threads = threads;
    this.anchors = new Set([...threads.values()].map((thread) => thread.root.target).filter(Boolean));
  }

  /** Where a thread's pin sits in the world. @param {BoardObject} root @returns {[number, number] | null} */
  anchor(root) {
    if (root.target) {
      const target = this.board.replica.get(root.target);
      const box = target ? bounds(target) : null;
      return box ? [box.x + box.w, box.y] : null;
    }
    return typeof root.x === "number" ? [root.x, root.y] : null;
  }

  draw() {
    const { viewport } = this.board;
    const seen = new Set();
    for (const [id, thread] of this.threads) {
      const point = this.anchor(thread.root);
      if (!point) continue;
      const [sx, sy] = viewport.toScreen(point[0], point[1]);
      if (sx < -40 || sy < -40 || sx > viewport.width + 40 || sy > viewport.height + 40) continue;
      seen.add(id);
      let pin = this.pins.get(id);
      if (!pin) {
        pin = /** @type {HTMLButtonElement} */ (el("button", { type: "button", class: "comment-pin", "data-ui": "pin", "data-comment": id }));
        pin.append(el("span", { class: "pin-count" }));
        pin.addEventListener("click", () => this.show(id));
        this.layer.append(pin);
        this.pins.set(id, pin);
      }
      const count = 1 + thread.replies.length;
      setText(/** @type {HTMLElement} */ (pin.firstElementChild), String(count));
      pin.classList.toggle("resolved", Boolean(thread.root.resolved));
      pin.setAttribute(
        "aria-label",
        `${thread.root.resolved ? t("board.comments.resolved_pin") : t("board.comments.pin")}: ${thread.root.text} (${tn("board.comments.count", count)})`,
      );
      pin.style.transform = `translate(${Math.round(sx)}px, ${Math.round(sy)}px)`;
    }
    for (const [id, pin] of this.pins) {
      if (!seen.has(id)) {
        pin.remove();
        this.pins.delete(id);
      }
    }
  }

  /** Start a new thread on an object or a point. @param {Pin} pin */
  start(pin) {
    if (!this.board.canEdit()) return;
    this.open = pin;
    this.render();
    /** @type {HTMLElement | null} */ (this.panel.querySelector("textarea"))?.focus();
  }

  /** Open a thread. @param {string} id */
  show(id) {
    this.open = id;
    this.render();
    /** @type {HTMLElement | null} */ (this.panel.querySelector("h2"))?.focus();
  }

  close() {
    const was = typeof this.open === "string" ? this.pins.get(this.open) : null;
    this.open = null;
    this.panel.hidden = true;
    this.panel.replaceChildren();
    was?.focus();
  }

  render() {
    const open = this.open;
    if (open === null) return;
    const thread = typeof open === "string" ? this.threads.get(open) : null;
    if (typeof open === "string" && !thread) {
      this.close();
      return;
    }
    // Whatever is half-written survives a redraw (someone else replied meanwhile).
    const writing = /** @type {HTMLTextAreaElement | null} */ (this.panel.querySelector("textarea"));
    const draft = writing?.value ?? "";
    const focused = writing !== null && document.activeElement === writing;
    const heading = el("h2", { id: "comment-panel-title", tabindex: "-1" }, thread ? t("board.comments.thread") : t("board.comments.new"));
    const closer = el("button", { type: "button", class: "panel-close", "aria-label": t("common.close") }, "×");
    closer.addEventListener("click", () => this.close());
    const parts = [el("div", { class: "panel-head" }), ...(thread ? this.thread(thread) : [])];
    parts[0].append(heading, closer);
    if (this.board.canEdit()) parts.push(this.form(thread));
    this.panel.replaceChildren(...parts);
    this.panel.hidden = false;
    const area = /** @type {HTMLTextAreaElement | null} */ (this.panel.querySelector("textarea"));
    if (area && draft) area.value = draft;
    if (area && focused) area.focus();
  }

  /** @param {Thread} thread */
  thread(thread) {
    const { board } = this;
    const list = el("ol", { class: "comment-list" });
    for (const comment of [thread.root, ...thread.replies]) {
      const mine = board.replica.mine.has(comment.id);
      const item = el("li", { class: "comment", "data-comment": comment.id });
      const meta = el("p", { class: "comment-meta" }, `${mine ? t("board.comments.you") : t("board.comments.anonymous")} · ${when(comment.created)}`);
      item.append(meta, el("p", { class: "comment-text" }, comment.text));
      if (board.canEdit() && (mine || board.role === "facilitator")) {
        const remove = el("button", { type: "button", class: "link danger" }, t("board.comments.delete"));
        remove.addEventListener("click", () => board.actions.remove([comment.id]));
        item.append(remove);
      }
      list.append(item);
    }
    const parts = [list];
    const root = thread.root;
    if (root.resolved) parts.unshift(el("p", { class: "comment-state" }, t("board.comments.is_resolved")));
    if (board.canEdit() && (board.replica.mine.has(root.id) || board.role === "facilitator")) {
      const toggle = el("button", { type: "button", class: "secondary", "data-action": "resolve" }, root.resolved ? t("board.comments.reopen") : t("board.comments.resolve"));
      toggle.addEventListener("click", () => board.actions.change([[root.id, { resolved: !root.resolved }]]));
      parts.push(toggle);
    }
    return parts;
  }

  /** The box to write a new comment or a reply. @param {Thread | null | undefined} thread */
  form(thread) {
    const { board } = this;
    const form = el("form", { class: "comment-form stack" });
    const label = thread ? t("board.comments.reply_label") : t("board.comments.write_label");
    const area = /** @type {HTMLTextAreaElement} */ (el("textarea", { id: "comment-text", "aria-label": label, rows: "3", maxlength: String(board.limits.max_comment_text), "data-ui": "comment" }));
    const hint = el("p", { class: "hint" }, t("board.comments.anonymous_hint"));
    const buttons = el("div", { class: "row" });
    const send = el("button", { type: "submit" }, thread ? t("board.comments.reply") : t("board.comments.post"));
    buttons.append(send);
    if (!thread) {
      const cancel = el("button", { type: "button", class: "secondary" }, t("common.cancel"));
      cancel.addEventListener("click", () => this.close());
      buttons.append(cancel);
    }
    form.append(area, hint, buttons);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = area.value.trim();
      if (!text) {
        board.notify(t("error.too_short"), "error");
        area.focus();
        return;
      }
      if (textLength(text) > board.limits.max_comment_text) {
        board.notify(t("error.too_long"), "error");
        return;
      }
      const id = newId();
      /** @type {Record<string, any>} */
      const comment = { type: "comment", id, text };
      if (thread) comment.parent = thread.root.id;
      else Object.assign(comment, this.open);
      // Empty the box first: creating redraws the panel, which keeps whatever is in the box.
      area.value = "";
      const [made] = board.actions.create([/** @type {any} */ (comment)]);
      if (!made) {
        const box = /** @type {HTMLTextAreaElement | null} */ (this.panel.querySelector("textarea"));
        if (box) box.value = text;
        return;
      }
      this.index();
      this.draw();
      this.open = thread ? thread.root.id : made;
      this.render();
      /** @type {HTMLElement | null} */ (this.panel.querySelector("textarea"))?.focus();
    });
    area.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit();
      if (e.key === "Escape") this.close();
    });
    return form;
  }
}

/** "5 minutes ago", in the page's language. @param {number} created ms since the epoch */
function when(created) {
  if (!created) return t("board.comments.just_now");
  const seconds = Math.round((created - Date.now()) / 1000);
  if (Math.abs(seconds) < 45) return t("board.comments.just_now");
  const format = new Intl.RelativeTimeFormat(language(), { numeric: "auto" });
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return format.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return format.format(hours, "hour");
  return format.format(Math.round(hours / 24), "day");
}
