// The Categories panel: notes per category (confirmed and suggested apart, as the record
// counts them), the suggestions with "Accept" for one and "Accept all", the choice of
// category system (the built-in ones and the template's own) and "Add category columns",
// which puts the system's columns on a board or on every board. A suggestion only ever
// becomes a note's category here or from the note on the board: never on its own. Choosing
// another system leaves the old columns on the boards as plain frames, and says so, pointing
// at "Add category columns".
import { el, setText } from "../dom.js";
import { t, tn } from "../i18n.js";
import { call, onPress, onSubmit, pick, say } from "./api.js";
import { onWorkshopChanged } from "./record.js";

/** The counts are asked for again at most this often while boards change (ms), as the board's
 * own suggestions are: each answer categorises every note of the workshop. */
const CALM_MS = 10_000;

/** @param {Document} doc @param {any} config */
export function mountCategoriesPanel(doc, config) {
  const lang = config.lang ?? "en";
  const api = (/** @type {string} */ path) => `/api/workshops/${config.workshop.id}/${path}`;
  const $ = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  const select = /** @type {HTMLSelectElement} */ ($("taxonomy"));
  const counts = /** @type {HTMLElement} */ ($("category-counts").querySelector("tbody"));
  const list = $("suggestions");
  const status = $("categories-status");
  const acceptAll = $("accept-all");
  const columnsBoard = /** @type {HTMLSelectElement} */ ($("columns-board"));
  /** category key -> label, in the workshop's system. @type {Map<string, string>} */
  let labels = new Map();
  /** Suggestions waiting, as last shown. */
  let waiting = 0;

  async function loadTaxonomy() {
    const data = await call("GET", api("taxonomy"));
    select.replaceChildren(...data.choices.map((/** @type {any} */ choice) => el("option", { value: choice.key }, pick(choice.name, lang))));
    select.value = data.taxonomy.key;
  }

  /** The answer last shown, so that a reload that finds nothing new changes nothing on screen. */
  let shown = "";

  async function load() {
    const data = await call("GET", api("categories"));
    if (JSON.stringify(data) === shown) return;
    shown = JSON.stringify(data);
    labels = new Map(data.taxonomy.categories.map((/** @type {any} */ c) => [c.key, pick(c.label, lang)]));
    counts.replaceChildren(...data.counts.map((/** @type {any} */ row) => countRow(row, labels)));
    showBoards(columnsBoard, data.boards);
    setText($("category-summary"), summaryOf(data));
    const suggested = data.notes.filter((/** @type {any} */ note) => note.source === "suggested");
    list.replaceChildren(...suggested.map((/** @type {any} */ note) => suggestionRow(note, labels.get(note.category) ?? note.category, accept)));
    waiting = suggested.length;
    acceptAll.disabled = waiting === 0;
    if (!suggested.length) list.append(el("li", { class: "empty" }, t("dashboard.cat.no_suggestions")));
  }

  /** After an action: the table is redrawn first, then the panel says what happened, so the
   * words (read out by screen readers) never stand under the old table. @param {string} message */
  async function reloadThenSay(message) {
    await load();
    say(status, message);
  }

  /** The "Accept" of one suggestion. @type {Accept} */
  function accept(button, note, label) {
    onPress(button, async () => {
      const done = await call("POST", api("categories/accept"), { notes: [note.note] });
      await reloadThenSay(done.accepted.length ? t("dashboard.cat.accepted_one", { category: label }) : t("dashboard.cat.nothing_accepted"));
    }, status);
  }

  mountActions($, { api, lang, status, reloadThenSay, labels: () => labels, waiting: () => waiting });

  // A board changed (a note sorted, a withdrawal): the counts follow, with no reload (record.js).
  onWorkshopChanged(doc, load, CALM_MS);

  return Promise.all([loadTaxonomy(), load()]).catch((error) => say(status, t("dashboard.failed", { reason: error.message }), true));
}

/**
 * What the panel's buttons and forms use of it.
 * @typedef {object} CategoriesPanel
 * @property {(path: string) => string} api the workshop's API address for a path
 * @property {string} lang the page's language, for the systems' names
 * @property {HTMLElement} status where the panel says what happened
 * @property {(message: string) => Promise<void>} reloadThenSay redraw the panel, then say this
 * @property {() => Map<string, string>} labels the categories of the system shown, key to label
 * @property {() => number} waiting how many suggestions are shown
 */

/**
 * "Accept all", "Check again", "Add category columns" and choosing the category system.
 * @param {(id: string) => any} $ @param {CategoriesPanel} panel
 */
function mountActions($, panel) {
  const acceptAll = $("accept-all");
  const columnsBoard = /** @type {HTMLSelectElement} */ ($("columns-board"));
  const system = /** @type {HTMLSelectElement} */ ($("taxonomy"));
  acceptAll.addEventListener("click", async () => {
    acceptAll.disabled = true;
    try {
      const done = await call("POST", panel.api("categories/accept"), { all: true });
      await panel.reloadThenSay(tn("dashboard.cat.accepted", done.accepted.length));
    } catch (error) {
      say(panel.status, t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
    } finally {
      acceptAll.disabled = panel.waiting() === 0; // off while nothing waits
    }
  });
  onPress($("categories-refresh"), () => panel.reloadThenSay(t("dashboard.cat.checked")), panel.status);
  onSubmit($("columns-form"), $("columns-add"), async () => {
    const which = columnsBoard.value;
    const body = which === "all" ? { all: true } : { boards: [Number(which)] };
    const done = await call("POST", panel.api("categories/columns"), body);
    await panel.reloadThenSay(done.placed ? tn("dashboard.cat.columns_added", done.placed) : t("dashboard.cat.columns_none"));
  }, panel.status);
  onSubmit($("taxonomy-form"), $("taxonomy-use"), async () => {
    const before = panel.labels();
    const data = await call("PUT", panel.api("taxonomy"), { taxonomy: system.value });
    const set = t("dashboard.cat.taxonomy_set", { name: pick(data.taxonomy.name, panel.lang) });
    const changed = data.taxonomy.categories.some((/** @type {any} */ c) => !before.has(c.key)) || data.taxonomy.categories.length !== before.size;
    await panel.reloadThenSay(changed ? `${set} ${t("dashboard.cat.columns_offer")}` : set);
  }, panel.status);
}

/** @typedef {(button: HTMLButtonElement, note: any, label: string) => void} Accept */

/** @param {number} number */
const boardName = (number) => (number === 0 ? t("dashboard.main_board") : t("dashboard.board_n", { number }));

/** One category's line of the table: its notes confirmed and suggested. @param {any} row @param {Map<string, string>} labels */
function countRow(row, labels) {
  const line = el("tr", { "data-category": row.category });
  line.append(el("th", { scope: "row" }, labels.get(row.category) ?? row.category), el("td", {}, String(row.confirmed)), el("td", {}, String(row.suggested)));
  return line;
}

/** Whether every note is sorted, and how many were left out (hidden or private). @param {any} data */
function summaryOf(data) {
  const left = data.excluded.hidden_notes + data.excluded.private_notes;
  const sorted = !data.notes.length ? t("dashboard.cat.no_notes") : data.uncategorised ? tn("dashboard.cat.uncategorised", data.uncategorised) : t("dashboard.cat.all_sorted");
  return [sorted, left ? tn("dashboard.cat.left_out", left) : ""].filter(Boolean).join(" ");
}

/**
 * The boards to put columns on: every board, then each one (boards open as the workshop
 * runs, so the list follows each load).
 * @param {HTMLSelectElement} choice @param {number[]} numbers
 */
function showBoards(choice, numbers) {
  const chosen = choice.value;
  choice.replaceChildren(
    el("option", { value: "all" }, t("dashboard.cat.columns_every")),
    ...numbers.map((number) => el("option", { value: String(number) }, boardName(number))),
  );
  choice.value = [...choice.options].some((option) => option.value === chosen) ? chosen : "all";
}

/** One suggestion, why it was made and how sure, with its "Accept". @param {any} note @param {string} label @param {Accept} accept */
function suggestionRow(note, label, accept) {
  const item = el("li", { "data-note": note.note });
  const words = el("p", { class: "note-words" }, note.text);
  // Why: the confirmed note it is like (the workshop's own example), or the words that matched.
  const about = { board: boardName(note.board), category: label };
  const why = note.like
    ? t("dashboard.cat.suggestion_like", { ...about, like: note.like })
    : note.matched
      ? t("dashboard.cat.suggestion", { ...about, matched: note.matched })
      : t("dashboard.cat.suggestion_notes", about); // the category's confirmed notes together
  const sure = t("dashboard.cat.sure", { percent: Math.round((note.confidence ?? 0) * 100) });
  const where = el("p", { class: "hint" }, `${why} · ${sure}`);
  const button = /** @type {HTMLButtonElement} */ (el("button", { type: "button", class: "secondary", "aria-label": t("dashboard.cat.accept_named", { category: label, text: note.text }) }, t("dashboard.cat.accept")));
  accept(button, note, label);
  item.append(words, where, button);
  return item;
}
