// The Duplicates panel: near-duplicate notes across every board as clusters, each with its
// notes, their boards and votes and "raised in N of M groups"; merging keeps the note chosen
// (by default the server's: most votes, then the earliest) and moves every vote and comment
// of the others onto it, then removes them.
import { drawn, hyphenation } from "../board/hyphenate.js";
import { el, setText } from "../dom.js";
import { language, t, tn } from "../i18n.js";
import { call, onPress, say } from "./api.js";
import { onWorkshopChanged } from "./record.js";

/** Repeated points are looked for again at most this often while boards change (ms). */
const CALM_MS = 30_000;

/** @param {Document} doc @param {any} config */
export function mountDuplicatesPanel(doc, config) {
  const api = (/** @type {string} */ path) => `/api/workshops/${config.workshop.id}/${path}`;
  const $ = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  const list = $("clusters");
  const count = $("duplicates-count");
  const status = $("duplicates-status");
  const boardName = (/** @type {number} */ number) => (number === 0 ? t("dashboard.main_board") : t("dashboard.board_n", { number }));
  const raised = (/** @type {number} */ n, /** @type {number} */ m) => tn("dashboard.dup.raised_in", m, { raised: n });

  /** The answer last shown, so that a reload that finds nothing new changes nothing on screen. */
  let shown = "";
  /** @type {any} */
  let last = null;
  // A long word in a quoted note breaks at its syllables (a phone's narrow column), drawn
  // again once the note's language's patterns have arrived.
  const quoted = (/** @type {string} */ text) => drawn(text, language() === "cy" ? "cy" : "en");
  hyphenation.addEventListener("ready", () => {
    if (last) draw(last);
  });

  async function load() {
    const data = await call("GET", api("duplicates"));
    if (JSON.stringify(data) === shown) return;
    shown = JSON.stringify(data);
    last = data;
    draw(data);
  }

  /** @param {any} data */
  function draw(data) {
    // The note someone chose to keep stays chosen while the list is drawn again.
    const chosen = [...list.querySelectorAll("input:checked")].map((/** @type {HTMLInputElement} */ input) => input.value);
    setText(count, data.clusters.length ? tn("dashboard.dup.count", data.clusters.length) : t("dashboard.dup.none"));
    list.replaceChildren(...data.clusters.map((/** @type {any} */ cluster, /** @type {number} */ index) => clusterItem(cluster, index, data.groups)));
    for (const input of list.querySelectorAll("input[type=radio]")) {
      if (chosen.includes(/** @type {HTMLInputElement} */ (input).value)) /** @type {HTMLInputElement} */ (input).checked = true;
    }
  }

  /** @param {any} cluster @param {number} index @param {number} groups */
  function clusterItem(cluster, index, groups) {
    const item = el("li", { class: "cluster", "data-cluster": cluster.id });
    const box = el("fieldset");
    box.append(el("legend", {}, t("dashboard.dup.legend", { text: quoted(cluster.notes[0].text), raised: raised(cluster.raised_in, groups) })));
    for (const [i, note] of cluster.notes.entries()) {
      const id = `keep-${index}-${i}`;
      const choice = el("div", { class: "choice" });
      choice.append(
        el("input", { type: "radio", name: `keep-${index}`, id, value: note.note, checked: note.note === cluster.keep }),
        el("label", { for: id }, t("dashboard.dup.note", { text: quoted(note.text), board: boardName(note.board), votes: tn("dashboard.dup.votes", note.votes) })),
      );
      box.append(choice);
    }
    const votes = cluster.notes.reduce((/** @type {number} */ sum, /** @type {any} */ note) => sum + note.votes, 0);
    const merge = /** @type {HTMLButtonElement} */ (el("button", { type: "button" }, t("dashboard.dup.merge")));
    onPress(merge, async () => {
      const chosen = /** @type {HTMLInputElement | null} */ (box.querySelector("input:checked"));
      const done = await call("POST", api("duplicates/merge"), { notes: cluster.notes.map((/** @type {any} */ note) => note.note), keep: chosen?.value ?? cluster.keep });
      say(status, t("dashboard.dup.merged", { votes: tn("dashboard.dup.votes", done.votes), raised: raised(done.groups.length, Math.max(groups, done.groups.length)) }));
      await load();
    }, status);
    box.append(el("p", { class: "hint" }, tn("dashboard.dup.keeps", votes)), merge);
    item.append(box);
    return item;
  }

  // A board changed (a note added, a withdrawal): the clusters follow, with no reload (record.js).
  onWorkshopChanged(doc, load, CALM_MS);
  onPress($("duplicates-refresh"), async () => {
    await load();
    say(status, t("dashboard.dup.checked"));
  }, status);
  return load().catch((error) => say(status, t("dashboard.failed", { reason: error.message }), true));
}
