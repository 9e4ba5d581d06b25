// The gallery, for a facilitator on the main board: every breakout board side by side as a
// live thumbnail (one socket per board, applying its ops as they are committed), with a link
// to each board and "pull into the main board" (POST .../pull), which copies every board's
// notes into a frame titled with its number here.
import { el, setText, svg } from "../dom.js";
import { errorText } from "../errors.js";
import { t, tn } from "../i18n.js";
import { SERVER, hello, normalise, readFrame } from "../protocol.js";
import { groupsOf, merged, raisedLabel } from "../categories/groups.js";

const THUMB_W = 300;
const THUMB_H = 180;
/** Reconnect a thumbnail's socket after this long, in ms (doubling to a minute). */
const RETRY_MS = 1000;
const FILL = Object.freeze({
  yellow: "#fef08a", orange: "#fed7aa", pink: "#fbcfe8", purple: "#e9d5ff",
  blue: "#bfdbfe", green: "#bbf7d0", grey: "#e5e7eb", white: "#ffffff",
});

/** @param {any} ctx the board's feature context */
export function mountGallery(ctx) {
  if (ctx.config.role !== "facilitator" || ctx.config.number !== 0) return;
  const workshop = ctx.config.workshop.id;
  const panel = el("section", { id: "fac-gallery", class: "panel fac-gallery", "aria-labelledby": "gallery-title", hidden: true });
  const button = el("button", { type: "button", class: "tool", "aria-expanded": "false", "aria-controls": "fac-gallery" }, t("dashboard.gallery"));
  ctx.toolbar.append(button);
  ctx.panels.append(panel);
  const close = el("button", { type: "button", class: "panel-close", "aria-label": t("common.close") }, "×");
  const head = el("div", { class: "panel-head" });
  head.append(el("h2", { id: "gallery-title" }, t("dashboard.gallery")), close);
  const pull = el("button", { type: "button", "data-control": "pull" }, t("dashboard.pull"));
  const outcome = el("p", { class: "fac-outcome", role: "status" });
  const list = el("ul", { class: "fac-thumbs" });
  panel.append(head, el("p", { class: "hint" }, t("dashboard.gallery_hint")), pull, outcome, list);

  /** The breakout boards now: breakouts may have been opened since this page loaded. */
  async function breakouts() {
    try {
      const response = await fetch(`/api/workshops/${workshop}/present`, { credentials: "same-origin" });
      if (response.ok) return (await response.json()).all_boards.filter((/** @type {any} */ b) => b.number > 0);
    } catch {
      // Offline: use what the page was given.
    }
    return (ctx.config.boards ?? []).filter((/** @type {any} */ b) => b.number > 0);
  }

  /** @type {Array<{close: () => void}>} */
  let live = [];
  const show = async (/** @type {boolean} */ open) => {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    (open ? pull : button).focus();
    // Watch the boards only while the gallery is open: sockets cost the server.
    for (const thumb of live) thumb.close();
    live = [];
    if (!open) return;
    const boards = await breakouts();
    if (panel.hidden) return;
    if (!boards.length) setText(outcome, t("dashboard.fac.no_breakouts"));
    live = boards.map((/** @type {any} */ board) => watch(ctx, board, list));
  };
  button.addEventListener("click", () => show(panel.hidden));
  close.addEventListener("click", () => show(false));
  pull.addEventListener("click", async () => {
    /** @type {HTMLButtonElement} */ (pull).disabled = true;
    try {
      const response = await fetch(`/api/workshops/${workshop}/pull`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
        credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok) throw new Error(errorText(data?.error));
      const total = Object.values(data.pulled).reduce((/** @type {number} */ sum, count) => sum + Number(count), 0);
      setText(outcome, t("dashboard.pulled", { count: total }));
    } catch (error) {
      setText(outcome, t("dashboard.failed", { reason: /** @type {Error} */ (error).message || t("common.error.unknown") }));
    } finally {
      /** @type {HTMLButtonElement} */ (pull).disabled = false;
    }
  });
}

/**
 * One breakout board's thumbnail, kept live over its own socket.
 * @param {any} ctx @param {{id: string, number: number}} board @param {HTMLElement} list
 */
function watch(ctx, board, list) {
  const item = el("li", { class: "fac-thumb", "data-board": board.number });
  const title = el("a", { href: `/b/${board.id}` }, t("dashboard.board_n", { number: board.number }));
  const count = el("span", { class: "fac-count" });
  const picture = svg("svg", { viewBox: `0 0 ${THUMB_W} ${THUMB_H}`, width: THUMB_W, height: THUMB_H, role: "img" });
  const label = svg("title");
  label.textContent = t("dashboard.board_n", { number: board.number }); // named before its snapshot arrives
  picture.append(label);
  const shapes = svg("g");
  picture.append(shapes);
  const raised = el("ul", { class: "fac-raised" }); // merged notes: "raised in N of M groups"
  item.append(title, count, picture, raised);
  const groups = groupsOf(ctx);
  const onGroups = () => later();
  groups.addEventListener("change", onGroups);
  const existing = list.querySelector(`[data-board="${board.number}"]`);
  if (existing) existing.replaceWith(item);
  else list.append(item);

  /** @type {Map<string, any>} */
  let objects = new Map();
  let closed = false;
  let socket = /** @type {WebSocket | null} */ (null);
  let wait = RETRY_MS;
  let drawing = 0;

  function draw() {
    drawing = 0;
    const placed = [...objects.values()].filter((obj) => typeof obj.x === "number" && (obj.type === "note" || obj.type === "frame"));
    const notes = placed.filter((obj) => obj.type === "note");
    // A duplicate of a note still on this board is the same contribution: counted once, as the record does.
    const written = notes.filter((obj) => !(obj.origin && obj.origin.board == null && objects.has(obj.origin.id))).length;
    setText(count, tn("dashboard.fac.notes", written));
    const points = notes.filter(merged);
    for (const point of points) groups.notice(point);
    raised.replaceChildren(...points.map((point) => el("li", {}, raisedLabel(point, groups.total()))));
    label.textContent = `${t("dashboard.board_n", { number: board.number })}: ${tn("dashboard.fac.notes", written)}`;
    if (!placed.length) {
      shapes.replaceChildren();
      return;
    }
    const left = Math.min(...placed.map((o) => o.x));
    const top = Math.min(...placed.map((o) => o.y));
    const right = Math.max(...placed.map((o) => o.x + o.w));
    const bottom = Math.max(...placed.map((o) => o.y + o.h));
    const scale = Math.min(THUMB_W / Math.max(1, right - left), THUMB_H / Math.max(1, bottom - top));
    const at = (/** @type {number} */ v, /** @type {number} */ origin) => (v - origin) * scale;
    shapes.replaceChildren(
      ...placed
        .sort((a, b) => (a.type === b.type ? 0 : a.type === "frame" ? -1 : 1))
        .map((obj) =>
          svg("rect", {
            x: at(obj.x, left),
            y: at(obj.y, top),
            width: Math.max(1, obj.w * scale),
            height: Math.max(1, obj.h * scale),
            fill: obj.type === "note" ? FILL[/** @type {keyof typeof FILL} */ (obj.color)] ?? FILL.yellow : "none",
            stroke: merged(obj) ? "#1e3a8a" : obj.type === "note" ? "#6b7280" : "#9ca3af",
            "stroke-width": merged(obj) ? 3 : 1,
          }),
        ),
    );
  }
  const later = () => {
    if (!drawing) drawing = requestAnimationFrame(draw);
  };

  /** @param {any[]} changes */
  function apply(changes) {
    for (const change of changes) {
      if (change.op === "put") objects.set(change.obj.id, normalise(change.obj));
      else if (change.op === "patch" && objects.has(change.id)) objects.set(change.id, { ...objects.get(change.id), ...change.props });
      else if (change.op === "del") objects.delete(change.id);
    }
  }

  function connect() {
    if (closed) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws`);
    socket.addEventListener("open", () => socket?.send(JSON.stringify(hello(ctx.config.protocol, board.id, null))));
    socket.binaryType = "arraybuffer";
    // In the order they came, though a compressed snapshot inflates asynchronously.
    let turn = Promise.resolve();
    socket.addEventListener("message", (event) => {
      const read = readFrame(event.data);
      turn = turn
        .then(() => read)
        .then(receive)
        .catch((error) => console.error(error));
    });
    /** @param {any} message */
    function receive(message) {
      if (message === undefined) return;
      if (message.type === SERVER.SNAPSHOT) {
        objects = new Map(message.objects.map((/** @type {any} */ obj) => [obj.id, normalise(obj)]));
        wait = RETRY_MS;
        later();
      } else if (message.type === SERVER.OPS) {
        for (const entry of message.ops) apply(entry.changes);
        later();
      }
    }
    socket.addEventListener("close", () => {
      if (closed) return;
      setTimeout(connect, wait);
      wait = Math.min(60_000, wait * 2);
    });
  }
  connect();
  return {
    close() {
      closed = true;
      groups.removeEventListener("change", onGroups);
      socket?.close(1000);
    },
  };
}
