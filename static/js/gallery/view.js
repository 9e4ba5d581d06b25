// The live gallery: every breakout board side by side, drawn so its notes can be read
// (picture.js), with how many people are on it and how many notes it holds; one board opened
// large in a dialog without leaving; every board also as a list of its notes' words, which
// screen readers always get and anyone can choose to see instead of the pictures. Each board is
// watched over a socket of its own (watch.js), so what its group writes appears at once; who is
// there comes from GET .../present, asked again whenever a board's people change.
import { el, setText } from "../dom.js";
import { language, t, tn } from "../i18n.js";
import { boardTitle } from "../board/translations.js";
import { drawPicture, listing, notesOf, onHyphenation, shown } from "./picture.js";
import { watchBoard } from "./watch.js";

/** How often people counts and the list of boards are asked for anyway, in ms. */
const RECOUNT_MS = 10_000;
/** People come and go in bursts: ask once this long after the last change, in ms. */
const PRESENCE_SETTLE_MS = 300;
/** A thumbnail's height for its width. */
const THUMB_RATIO = 0.62;
/** A card narrower than this, in CSS px (a phone's), draws its board as tall as it needs. */
const NARROW_CARD_PX = 480;
/** Smallest type of a board opened large, in CSS px, and how much bigger than life it may be. */
const LARGE_TEXT_PX = 16;
const LARGE_MAX_SCALE = 2;
/** The dialog's padding, in CSS px (gallery.css), and a scroll bar's room. */
const DIALOG_PADDING_PX = 24;
/** The card's padding on both sides, in CSS px (gallery.css). */
const CARD_PADDING_PX = 18;

/**
 * @typedef {{id: string, number: number}} BoardRef
 * @param {HTMLElement} root  the element the gallery fills
 * @param {{workshop: string, protocol: number, boards: BoardRef[], heading: string}} options
 * @returns {{close: () => void, redraw: () => void, ready: Promise<void>}}
 */
export function mountGalleryView(root, options) {
  const grid = el("ul", { class: "gallery-grid" });
  const none = el("p", { class: "gallery-none" }, t("gallery.no_breakouts"));
  root.append(none, grid);
  const large = mountLarge(root, options.heading);
  /** @type {Map<number, ReturnType<typeof mountCard>>} */
  const cards = new Map();
  /** @type {Record<string, number>} */
  let people = {};

  function follow(/** @type {BoardRef[]} */ boards) {
    for (const board of boards.filter((b) => b.number > 0).sort((a, b) => a.number - b.number)) {
      if (cards.has(board.number)) continue;
      const card = mountCard(board, options, { onOpen: () => large.open(card), onPresence: recountSoon });
      cards.set(board.number, card);
      grid.append(card.item);
      card.count(people[String(board.number)] ?? 0);
    }
    none.hidden = cards.size > 0;
  }

  let settling = 0;
  function recountSoon() {
    clearTimeout(settling);
    settling = window.setTimeout(recount, PRESENCE_SETTLE_MS);
  }
  async function recount() {
    try {
      const response = await fetch(`/api/workshops/${options.workshop}/present`, { credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      people = data.boards ?? {};
      follow(data.all_boards ?? []);
      for (const [number, card] of cards) card.count(people[String(number)] ?? 0);
    } catch {
      // Offline: the counts stay as they were until the next try.
    }
  }
  follow(options.boards);
  const every = window.setInterval(recount, RECOUNT_MS);
  const resized = () => {
    for (const card of cards.values()) card.redraw();
  };
  window.addEventListener("resize", resized);
  const unhyphenated = onHyphenation(resized);
  return {
    ready: recount(),
    /** Draw every board again (pictures drawn while hidden measured nothing to clamp). */
    redraw: resized,
    close() {
      clearInterval(every);
      window.removeEventListener("resize", resized);
      unhyphenated();
      for (const card of cards.values()) card.close();
    },
  };
}

/**
 * One board's card: heading, counts, picture, list, and "Open large".
 * @param {BoardRef} board @param {{workshop: string, protocol: number}} options
 * @param {{onOpen: () => void, onPresence: () => void}} on
 */
function mountCard(board, options, on) {
  const titleId = `gallery-board-${board.number}`;
  const item = el("li", { class: "gallery-card", "data-board": board.number, "aria-labelledby": titleId });
  const title = el("h2", { id: titleId, class: "gallery-title" }, t("dashboard.board_n", { number: board.number }));
  const counts = el("p", { class: "gallery-counts" });
  const open = el("button", { type: "button", class: "secondary gallery-open", onclick: on.onOpen }, t("gallery.open_large"));
  const picture = el("div", { class: "gallery-picture", "aria-hidden": "true" });
  const words = el("div", { class: "gallery-words" });
  const head = el("div", { class: "gallery-head" });
  head.append(title, counts, open);
  item.append(head, picture, words);
  let here = 0;
  /** @type {any[]} */
  let placed = [];
  /** @type {Set<() => void>} */
  const listeners = new Set();
  let drawing = 0;

  function draw() {
    drawing = 0;
    const named = boardTitle(watcher.replica.settings, language()) || t("dashboard.board_n", { number: board.number });
    setText(title, named);
    placed = shown(watcher.replica.objects);
    describe();
    const width = Math.max(240, item.clientWidth - CARD_PADDING_PX);
    // On a phone a thumbnail as short as on a desktop leaves a word or two per note: there it
    // is as tall as the board's shape makes it, and the page scrolls.
    const height = width < NARROW_CARD_PX ? undefined : Math.round(width * THUMB_RATIO);
    drawPicture(picture, placed, { width, height });
    words.replaceChildren(listing(placed));
    for (const listener of listeners) listener();
  }
  function describe() {
    const notes = notesOf(placed).length;
    setText(counts, `${tn("gallery.people", here)} · ${tn("dashboard.fac.notes", notes)}`);
  }
  const later = () => {
    if (!drawing) drawing = requestAnimationFrame(draw);
  };
  const watcher = watchBoard({ protocol: options.protocol, board, onChange: later, onPresence: on.onPresence });
  return {
    item,
    redraw: later,
    board,
    /** The title, the drawn notes, and a way to hear when they change (for the large view). */
    title: () => title.textContent ?? "",
    placed: () => placed,
    listen: (/** @type {() => void} */ listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    count(/** @type {number} */ n) {
      here = n;
      describe();
    },
    close: () => watcher.close(),
  };
}

/**
 * The dialog that shows one board large, kept live, over the gallery (Escape closes it).
 * @param {HTMLElement} root @param {string} heading
 */
function mountLarge(root, heading) {
  const dialog = /** @type {HTMLDialogElement} */ (el("dialog", { class: "gallery-large", "aria-labelledby": "gallery-large-title" }));
  const title = el(heading, { id: "gallery-large-title" });
  const close = el("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, t("common.close"));
  const head = el("div", { class: "gallery-head" });
  head.append(title, close);
  const picture = el("div", { class: "gallery-picture", "aria-hidden": "true" });
  const words = el("div", { class: "gallery-words" });
  dialog.append(head, picture, words);
  root.append(dialog);
  /** @type {(() => void) | null} */
  let stop = null;
  /** @type {HTMLElement | null} */
  let opener = null;
  dialog.addEventListener("close", () => {
    stop?.();
    stop = null;
    opener?.focus();
  });
  return {
    open(/** @type {ReturnType<typeof mountCard>} */ card) {
      opener = /** @type {HTMLElement | null} */ (card.item.querySelector(".gallery-open"));
      const draw = () => {
        setText(title, card.title());
        dialog.dataset.board = String(card.board.number);
        // As wide as the screen and as tall as that makes it: the dialog scrolls, the words stay big.
        const width = Math.max(320, dialog.clientWidth - 2 * DIALOG_PADDING_PX);
        drawPicture(picture, card.placed(), { width, minText: LARGE_TEXT_PX, maxScale: LARGE_MAX_SCALE });
        words.replaceChildren(listing(card.placed()));
      };
      stop?.();
      stop = card.listen(draw);
      dialog.showModal();
      draw();
      window.addEventListener("resize", draw);
      const unlisten = stop;
      stop = () => {
        unlisten();
        window.removeEventListener("resize", draw);
      };
      close.focus();
    },
  };
}
