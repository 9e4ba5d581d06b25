// The dashboard's presenter section (issue 17): choose what the presenter screens show. The
// choice goes through the server (../presenter/follow.js), so a screen on any computer signed
// in as a facilitator follows it, and one opened later starts on it. A screen open in this
// browser also answers over a BroadcastChannel with what it shows, so the buttons say what the
// room sees.
import { el, setText } from "../dom.js";
import { t } from "../i18n.js";
import { presenterChannel } from "../presenter/channel.js";
import { latestShow, tellScreens } from "../presenter/follow.js";

/** @param {Document} doc @param {any} config */
export function mountPresenterSection(doc, config) {
  const section = doc.getElementById("presenter-screen");
  if (!section) return;
  const status = /** @type {HTMLElement} */ (doc.getElementById("presenter-status"));
  const choice = /** @type {HTMLSelectElement} */ (doc.getElementById("presenter-board-choice"));
  const channel = presenterChannel(config.workshop.id);
  /** What a screen in this browser last said it shows ("" before any said). */
  let seen = "";

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

  /** The buttons pressed for `showing`, and the status saying it in words. @param {string} showing @param {string} key */
  function mark(showing, key) {
    section.dataset.showing = showing;
    for (const button of section.querySelectorAll("[data-present]")) {
      button.setAttribute("aria-pressed", String(/** @type {HTMLElement} */ (button).dataset.present === showing));
    }
    const number = showing.startsWith("board-") ? Number(showing.slice(6)) : null;
    const what = number === null ? buttonText(section, showing) : number ? t("dashboard.board_n", { number }) : t("presenter.main_board");
    setText(status, t(key, { what }));
  }

  async function choose(/** @type {string} */ show) {
    if (!(await tellScreens(config.workshop.id, show))) {
      setText(status, t("presenter.not_sent"));
      return;
    }
    // A screen in this browser may already have said it shows it: that says more.
    if (seen !== show) mark(show, "presenter.chosen");
  }
  channel.addEventListener("message", (event) => {
    const showing = event.data?.showing;
    if (typeof showing !== "string") return;
    seen = showing;
    mark(showing, "presenter.now_showing");
  });
  for (const button of section.querySelectorAll("[data-present]")) {
    button.addEventListener("click", () => choose(/** @type {HTMLElement} */ (button).dataset.present ?? "join"));
  }
  doc.getElementById("presenter-board-show")?.addEventListener("click", () => choose(`board-${choice.value}`));
  channel.postMessage({ ask: true }); // a screen already open here says what it shows
  latestShow(config.workshop.id).then((show) => {
    if (show && !seen) mark(show, "presenter.chosen");
  });
}

/** @param {Element} section @param {string} show */
function buttonText(section, show) {
  return section.querySelector(`[data-present="${show}"]`)?.textContent ?? show;
}
