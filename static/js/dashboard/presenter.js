// The dashboard's presenter section (issue 17): choose what the presenter screen shows. The
// screen, open in this browser, follows over a BroadcastChannel and answers with what it shows,
// so the buttons say what the room sees; with no screen open, the status says so.
import { el, setText } from "../dom.js";
import { t } from "../i18n.js";
import { presenterChannel } from "../presenter/channel.js";

/** How long to wait for an open presenter screen to answer, in ms. */
const ANSWER_MS = 1500;

/** @param {Document} doc @param {any} config */
export function mountPresenterSection(doc, config) {
  const section = doc.getElementById("presenter-screen");
  if (!section) return;
  const status = /** @type {HTMLElement} */ (doc.getElementById("presenter-status"));
  const choice = /** @type {HTMLSelectElement} */ (doc.getElementById("presenter-board-choice"));
  const channel = presenterChannel(config.workshop.id);
  let answered = 0;
  let asked = 0;

  function boards(/** @type {{number: number}[]} */ all) {
    const chosen = choice.value;
    choice.replaceChildren(
      ...[...all]
        .sort((a, b) => a.number - b.number)
        .map((b) => el("option", { value: b.number }, b.number ? t("dashboard.board_n", { number: b.number }) : t("presenter.main_board"))),
    );
    if (chosen) choice.value = chosen;
  }
  boards(config.boards ?? []);
  choice.addEventListener("focus", async () => {
    try {
      const response = await fetch(`/api/workshops/${config.workshop.id}/present`, { credentials: "same-origin" });
      if (response.ok) boards((await response.json()).all_boards ?? []);
    } catch {
      // Offline: keep the boards listed.
    }
  });

  function ask(/** @type {any} */ message) {
    asked = Date.now();
    channel.postMessage(message);
    setTimeout(() => {
      if (answered < asked) setText(status, t("presenter.not_open"));
    }, ANSWER_MS);
  }
  channel.addEventListener("message", (event) => {
    const showing = event.data?.showing;
    if (typeof showing !== "string") return;
    answered = Date.now();
    section.dataset.showing = showing;
    for (const button of section.querySelectorAll("[data-present]")) {
      button.setAttribute("aria-pressed", String(/** @type {HTMLElement} */ (button).dataset.present === showing));
    }
    const number = showing.startsWith("board-") ? Number(showing.slice(6)) : null;
    const what = number === null ? buttonText(section, showing) : number ? t("dashboard.board_n", { number }) : t("presenter.main_board");
    setText(status, t("presenter.now_showing", { what }));
  });
  for (const button of section.querySelectorAll("[data-present]")) {
    button.addEventListener("click", () => ask({ show: /** @type {HTMLElement} */ (button).dataset.present }));
  }
  doc.getElementById("presenter-board-show")?.addEventListener("click", () => ask({ show: `board-${choice.value}` }));
  channel.postMessage({ ask: true }); // a screen already open says what it shows
}

/** @param {Element} section @param {string} show */
function buttonText(section, show) {
  return section.querySelector(`[data-present="${show}"]`)?.textContent ?? show;
}
