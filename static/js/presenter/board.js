// One board on the shared screen: drawn large and live (../gallery/picture.js), with no
// editing chrome and no private or hidden note; its notes also as a list for screen readers.
import { el, setText } from "../dom.js";
import { language, t } from "../i18n.js";
import { boardTitle } from "../board/translations.js";
import { drawPicture, listing, onHyphenation, shown } from "../gallery/picture.js";
import { watchBoard } from "../gallery/watch.js";

/** Smallest type on the projected board, in CSS px: read from the back of a room. */
const PROJECTED_TEXT_PX = 22;
/** A board with a few notes is drawn up to this much bigger than life. */
const MAX_SCALE = 2.5;
/** Fewest letters a line of a note holds: a board too tall for the screen at that is drawn as
 * wide as the screen instead, and scrolls (a word or two a line cannot be read, only guessed). */
const LINE_LETTERS = 12;

/**
 * @param {HTMLElement} root @param {{protocol: number, board: {id: string, number: number}}} options
 * @returns {{close: () => void}}
 */
export function mountPresenterBoard(root, options) {
  const title = el("p", { class: "presenter-caption presenter-board-title" });
  const picture = el("div", { class: "gallery-picture", "aria-hidden": "true" });
  const words = el("div", { class: "gallery-words" });
  root.replaceChildren(title, picture, words);
  root.dataset.board = String(options.board.number);
  let drawing = 0;
  const draw = () => {
    drawing = 0;
    const fallback = options.board.number ? t("dashboard.board_n", { number: options.board.number }) : t("presenter.main_board");
    setText(title, boardTitle(watcher.replica.settings, language()) || fallback);
    const placed = shown(watcher.replica.objects);
    const width = Math.max(320, root.clientWidth || window.innerWidth - 32);
    const height = Math.max(240, window.innerHeight - picture.getBoundingClientRect().top - 16);
    drawPicture(picture, placed, { width, height, minText: PROJECTED_TEXT_PX, maxScale: MAX_SCALE, letters: LINE_LETTERS });
    words.replaceChildren(listing(placed));
  };
  const later = () => {
    if (!drawing) drawing = requestAnimationFrame(draw);
  };
  const watcher = watchBoard({ protocol: options.protocol, board: options.board, onChange: later });
  window.addEventListener("resize", later);
  const unhyphenated = onHyphenation(later);
  return {
    close() {
      window.removeEventListener("resize", later);
      unhyphenated();
      watcher.close();
    },
  };
}
