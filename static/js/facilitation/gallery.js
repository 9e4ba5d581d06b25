// The gallery, for a facilitator on the main board: a narrow panel that leaves the board in
// view, with the way to the gallery page (/w/{id}/gallery, where every breakout board is drawn
// large enough to read: ../gallery/), each breakout board's link and live note count (one socket
// per board, ../gallery/watch.js), the notes raised by several groups, and "pull into the main
// board" (POST .../pull), which copies every board's notes into a frame titled with its number.
import { el, setText } from "../dom.js";
import { t, tn } from "../i18n.js";
import { watchBoard } from "../gallery/watch.js";
import { onPull } from "../gallery/pull.js";
import { groupsOf, merged, raisedLabel } from "../categories/groups.js";

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
  const page = el("a", { class: "fac-gallery-page", href: `/w/${workshop}/gallery`, target: "_blank", rel: "noopener" }, t("gallery.open_page"));
  panel.append(head, page, el("p", { class: "hint" }, t("dashboard.gallery_hint")), pull, outcome, list);

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
  onPull(/** @type {HTMLButtonElement} */ (pull), outcome, workshop);
}

/**
 * One breakout board's thumbnail, kept live over its own socket.
 * @param {any} ctx @param {{id: string, number: number}} board @param {HTMLElement} list
 */
function watch(ctx, board, list) {
  const item = el("li", { class: "fac-thumb", "data-board": board.number });
  const title = el("a", { href: `/b/${board.id}` }, t("dashboard.board_n", { number: board.number }));
  const count = el("span", { class: "fac-count" });
  const raised = el("ul", { class: "fac-raised" }); // merged notes: "raised in N of M groups"
  item.append(title, count, raised);
  const groups = groupsOf(ctx);
  const onGroups = () => later();
  groups.addEventListener("change", onGroups);
  const existing = list.querySelector(`[data-board="${board.number}"]`);
  if (existing) existing.replaceWith(item);
  else list.append(item);

  let drawing = 0;

  function draw() {
    drawing = 0;
    const objects = watcher.replica.objects;
    const notes = [...objects.values()].filter((obj) => obj.type === "note" && typeof obj.x === "number");
    // A duplicate of a note still on this board is the same contribution: counted once, as the record does.
    const written = notes.filter((obj) => !(obj.origin && obj.origin.board == null && objects.has(obj.origin.id))).length;
    setText(count, tn("dashboard.fac.notes", written));
    const points = notes.filter(merged);
    for (const point of points) groups.notice(point);
    raised.replaceChildren(...points.map((point) => el("li", {}, raisedLabel(point, groups.total()))));
  }
  const later = () => {
    if (!drawing) drawing = requestAnimationFrame(draw);
  };
  const watcher = watchBoard({ protocol: ctx.config.protocol, board, onChange: later });
  return {
    close() {
      groups.removeEventListener("change", onGroups);
      watcher.close();
    },
  };
}
