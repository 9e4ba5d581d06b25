// The live word cloud and, beside it, the same counts as a table for screen readers (and for
// anyone who prefers a list). The picture is the server's SVG for the poll's `cloud` version,
// one URL per version, so a browser fetches each version once and shows it as an image.
import { el, setText } from "../dom.js";
import { t, tn } from "../i18n.js";
import { cloudUrl } from "./api.js";

/** Words named in the picture's alternative text (the table beside it has them all). */
const ALT_WORDS = 10;

/**
 * @typedef {import("./api.js").Poll} Poll
 * @typedef {{workshop: string, lang: string, facilitator: boolean, onHide: (word: string) => void}} CloudOptions
 */

/**
 * @param {HTMLElement} parent
 * @param {CloudOptions} options
 * @returns {{update: (poll: Poll) => void}}
 */
export function mountCloud(parent, options) {
  const total = el("p", { class: "poll-total" });
  const empty = el("p", { class: "poll-empty" }, t("poll.no_answers"));
  const image = /** @type {HTMLImageElement} */ (el("img", { class: "poll-image", alt: "", decoding: "async" }));
  const figure = el("figure", { class: "poll-figure" });
  figure.append(image);
  const body = el("tbody");
  const head = el("tr");
  head.append(el("th", { scope: "col" }, t("poll.col_word")), el("th", { scope: "col", class: "poll-count" }, t("poll.col_count")));
  if (options.facilitator) head.append(el("th", { scope: "col" }, t("poll.col_action")));
  const table = el("table", { class: "poll-table" });
  const caption = el("caption", {}, t("poll.table_caption"));
  const thead = el("thead");
  thead.append(head);
  table.append(caption, thead, body);
  parent.append(total, figure, empty, table);

  /** @param {Poll} poll */
  function update(poll) {
    const counts = poll.counts ?? [];
    setText(total, tn("poll.answers", poll.answers ?? 0));
    empty.hidden = counts.length > 0;
    figure.hidden = counts.length === 0;
    table.hidden = counts.length === 0;
    if (counts.length && image.dataset.version !== poll.cloud) {
      image.dataset.version = poll.cloud;
      image.src = cloudUrl(options.workshop, poll.cloud, options.lang);
    }
    const named = counts.slice(0, ALT_WORDS).map((row) => `${row.word} (${row.count})`);
    if (counts.length > ALT_WORDS) named.push("…");
    image.alt = t("poll.cloud_alt", { words: named.join(", ") });
    reconcile(body, counts, options);
  }

  return { update };
}

/** Table rows keyed by word, so a focused "Hide" button keeps its place as counts change. */
function reconcile(/** @type {HTMLElement} */ body, /** @type {import("./api.js").WordCount[]} */ counts, /** @type {CloudOptions} */ options) {
  /** @type {Map<string, HTMLElement>} */
  const rows = new Map();
  for (const row of /** @type {HTMLElement[]} */ ([...body.children])) rows.set(row.dataset.word ?? "", row);
  let previous = null;
  for (const { word, count } of counts) {
    let row = rows.get(word);
    rows.delete(word);
    if (!row) {
      row = el("tr", { "data-word": word });
      row.append(el("th", { scope: "row" }, word), el("td", { class: "poll-count" }));
      if (options.facilitator) {
        const cell = el("td");
        cell.append(el("button", { type: "button", class: "link", onclick: () => options.onHide(word) }, t("poll.hide", { word })));
        row.append(cell);
      }
    }
    setText(/** @type {HTMLElement} */ (row.children[1]), String(count));
    const wanted = previous ? previous.nextSibling : body.firstChild;
    if (wanted !== row) body.insertBefore(row, wanted);
    previous = row;
  }
  for (const stale of rows.values()) stale.remove();
}
