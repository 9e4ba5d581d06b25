// A board drawn small enough for a gallery and still read: its frames and notes where they sit,
// in their colours, each note's first lines in type never smaller than MIN_TEXT_PX on screen
// (the note clips what does not fit), and the same notes as a list for screen readers. The
// drawing is a stage in board coordinates scaled with one CSS transform; its type is sized in
// board coordinates as MIN_TEXT_PX / scale, so it stays legible however far the board zooms out.
// Words break where the board breaks them (issue 18): at hyphenation points in each note's
// language, drawn with a hyphen (../board/hyphenate.js), and a note that holds more than its
// thumbnail shows stops after its last whole line and ends with an ellipsis; the whole text is in the list and
// the large view. Only a run of letters with no hyphenation point wider than the note's line is
// broken between letters.
import { hyphenate, hyphenation, noteLanguage } from "../board/hyphenate.js";
import { inLanguage } from "../board/translations.js";
import { el } from "../dom.js";
import { language, t } from "../i18n.js";

/** Smallest type on screen, in CSS px, after scaling: legible on a projector from the back. */
export const MIN_TEXT_PX = 11;
/** Notes' own type size on their boards, in board px: a picture never draws it larger. */
const NOTE_TEXT_PX = 16;
/** Board px of margin round what is drawn. */
const MARGIN = 24;
/** A board drawn bigger than life would only blur: at most this scale. */
const MAX_SCALE = 1;

/** What a shared picture shows: notes and frames everyone may see (no private or hidden note). */
export function shown(/** @type {Map<string, any>} */ objects) {
  return [...objects.values()].filter(
    (obj) => (obj.type === "note" || obj.type === "frame") && typeof obj.x === "number" && !obj.private && !obj.hidden,
  );
}

/** Notes only, in reading order (top to bottom, then left to right). */
export function notesOf(/** @type {any[]} */ placed) {
  return placed.filter((obj) => obj.type === "note").sort((a, b) => a.y - b.y || a.x - b.x || (a.id < b.id ? -1 : 1));
}

/**
 * Draw `placed` into `box` at `width` × `height` CSS px; the stage says its scale in
 * `data-scale`, for whoever checks the type (tests). A large view (one board across a screen
 * or a projector) may ask for bigger type (`minText`) and draw a sparse board bigger than
 * life (`maxScale`); with no `height` it fits the width and is as tall as that makes it (to
 * scroll through, where reading matters more than seeing it all at once). With `letters`, a
 * `height` that would leave a typical note fewer letters a line than that (big type on a board
 * squeezed to the screen's height) is given up for the width, and the view scrolls.
 * @param {HTMLElement} box @param {any[]} placed
 * @param {{width: number, height?: number, minText?: number, maxScale?: number, letters?: number}} size
 */
export function drawPicture(box, placed, size) {
  box.style.width = `${size.width}px`;
  box.style.height = size.height ? `${size.height}px` : "auto";
  if (!placed.length) {
    box.replaceChildren(el("p", { class: "gallery-empty" }, t("gallery.empty")));
    return;
  }
  const left = Math.min(...placed.map((o) => o.x)) - MARGIN;
  const top = Math.min(...placed.map((o) => o.y)) - MARGIN;
  const right = Math.max(...placed.map((o) => o.x + o.w)) + MARGIN;
  const bottom = Math.max(...placed.map((o) => o.y + o.h)) + MARGIN;
  const fit = (/** @type {number | undefined} */ height) =>
    Math.min(size.maxScale ?? MAX_SCALE, size.width / (right - left), height ? height / (bottom - top) : Infinity);
  let height = size.height;
  let scale = fit(height);
  if (height && size.letters && lettersPerLine(placed, scale, size.minText) < size.letters) {
    height = undefined;
    scale = fit(undefined);
  }
  box.style.height = `${height ?? Math.ceil((bottom - top) * scale)}px`;
  const type = typeSize(scale, size.minText);
  const stage = el("div", { class: "gallery-stage", "data-scale": scale.toFixed(4) });
  stage.style.width = `${right - left}px`;
  stage.style.height = `${bottom - top}px`;
  stage.style.transform = `scale(${scale})`;
  const frames = placed.filter((obj) => obj.type === "frame");
  const notes = [...placed.filter((obj) => obj.type === "note")].sort((a, b) => (a.z < b.z ? -1 : a.z > b.z ? 1 : 0));
  for (const frame of frames) stage.append(drawn(frame, "gallery-frame", left, top, inLanguage(frame, language()).title, type, scale));
  for (const note of notes) stage.append(drawn(note, "gallery-note", left, top, note.text, type, scale));
  box.replaceChildren(stage);
  clampNotes(stage);
}

/** A letter's average width, in ems, for telling how many fit a line. */
const LETTER_EM = 0.55;

/** Notes' type in board px at `scale`: never under `minText` CSS px on screen. @param {number} scale @param {number} [minText] */
function typeSize(scale, minText) {
  return Math.max(NOTE_TEXT_PX, (minText ?? MIN_TEXT_PX) / scale);
}

/** A note's padding in board px at `scale`. @param {number} w @param {number} scale */
function padding(w, scale) {
  return Math.min(w / 8, Math.max(6, 4 / scale));
}

/**
 * About how many letters a line of a typical (median-width) note holds at `scale`.
 * @param {any[]} placed @param {number} scale @param {number} [minText]
 */
function lettersPerLine(placed, scale, minText) {
  const widths = placed.filter((obj) => obj.type === "note").map((obj) => obj.w).sort((a, b) => a - b);
  if (!widths.length) return Infinity;
  const w = widths[Math.floor(widths.length / 2)];
  return (w - 2 * padding(w, scale)) / (typeSize(scale, minText) * LETTER_EM);
}

/**
 * Call `redraw` whenever a language's hyphenation patterns arrive (pictures drawn before then
 * break no word); returns how to stop.
 * @param {() => void} redraw @returns {() => void}
 */
export function onHyphenation(redraw) {
  hyphenation.addEventListener("ready", redraw);
  return () => hyphenation.removeEventListener("ready", redraw);
}

/**
 * Notes whose text runs past their box stop after their last whole line and end with an
 * ellipsis (`data-more`, gallery.css), rather than being cut through a line. All reads come
 * before all writes: one layout for the whole picture.
 * @param {HTMLElement} stage
 */
function clampNotes(stage) {
  const texts = /** @type {HTMLElement[]} */ ([...stage.querySelectorAll(".gallery-note-text")]);
  const over = texts
    .filter((text) => text.scrollHeight > text.clientHeight + 1)
    .map((text) => {
      const style = getComputedStyle(text);
      const top = parseFloat(style.paddingTop);
      const line = parseFloat(style.lineHeight);
      const lines = Math.max(1, Math.floor((text.clientHeight - top - parseFloat(style.paddingBottom)) / line));
      return { text, height: top + lines * line };
    });
  for (const { text, height } of over) {
    text.parentElement?.toggleAttribute("data-more", true);
    text.style.maxHeight = `${height}px`;
  }
}

/** @param {any} obj @param {string} kind @param {number} left @param {number} top @param {string} text @param {number} type @param {number} scale */
function drawn(obj, kind, left, top, text, type, scale) {
  const item = el("div", { class: kind, "data-id": obj.id, "data-color": obj.type === "note" ? obj.color : null });
  item.style.left = `${obj.x - left}px`;
  item.style.top = `${obj.y - top}px`;
  item.style.width = `${obj.w}px`;
  item.style.height = `${obj.h}px`;
  item.style.borderWidth = `${Math.max(1, 2 / scale)}px`;
  item.style.fontSize = `${type}px`;
  const lang = noteLanguage(text ?? "", language() === "cy" ? "cy" : "en");
  // Soft hyphens only in what is drawn: the list and the stored text keep the words as written.
  const words = el("p", { class: `${kind}-text`, lang }, hyphenate(text ?? "", lang) ?? text ?? "");
  words.style.fontSize = `${type}px`;
  words.style.padding = `${padding(obj.w, scale)}px`;
  item.append(words);
  return item;
}

/**
 * The board as lists: each frame with the notes whose middle is inside it, then the notes in
 * no frame; notes in reading order.
 * @param {any[]} placed @returns {HTMLElement}
 */
export function listing(placed) {
  const notes = notesOf(placed);
  const frames = placed.filter((obj) => obj.type === "frame").sort((a, b) => a.y - b.y || a.x - b.x);
  const list = el("ul", { class: "gallery-list" });
  const inside = (/** @type {any} */ note, /** @type {any} */ frame) => {
    const x = note.x + note.w / 2;
    const y = note.y + note.h / 2;
    return x >= frame.x && x <= frame.x + frame.w && y >= frame.y && y <= frame.y + frame.h;
  };
  const placedIn = new Set();
  for (const frame of frames) {
    const within = notes.filter((note) => !placedIn.has(note.id) && inside(note, frame));
    for (const note of within) placedIn.add(note.id);
    const item = el("li", { class: "gallery-list-frame" }, inLanguage(frame, language()).title || t("gallery.untitled_frame"));
    const sub = el("ul");
    sub.append(...within.map(noteItem));
    if (within.length) item.append(sub);
    list.append(item);
  }
  list.append(...notes.filter((note) => !placedIn.has(note.id)).map(noteItem));
  if (!notes.length && !frames.length) list.append(el("li", {}, t("gallery.empty")));
  return list;
}

function noteItem(/** @type {any} */ note) {
  return el("li", { class: "gallery-list-note", "data-id": note.id }, note.text || t("gallery.empty_note"));
}
