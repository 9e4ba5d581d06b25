// The presenter screen (/w/{id}/present), for a projector or a shared screen: one thing at a
// time, large: the join code and its QR code, the exit poll's word cloud, the gallery, the
// timer, or one board. What it shows is named in the address (#join, #cloud, #gallery, #timer,
// #board-2), chosen with its own switcher (buttons, or the keys J, W, G, T, and 0-9 for a
// board), or from the dashboard on any computer signed in as a facilitator, through the server
// (../presenter/follow.js); it opens on the latest choice. It tells a dashboard in the same
// browser what it shows (../presenter/channel.js). Only what is shown is watched: the other
// screens close their sockets and long polls (one facilitator's socket on the main board stays,
// to hear the choices).
import { el, setText } from "../dom.js";
import { t } from "../i18n.js";
import { mountGalleryView } from "../gallery/view.js";
import { mountPresenterBoard } from "../presenter/board.js";
import { isShow, presenterChannel } from "../presenter/channel.js";
import { mountPresenterCloud } from "../presenter/cloud.js";
import { followChoices, latestShow, tellScreens } from "../presenter/follow.js";
import { mountPresenterTimer } from "../presenter/timer.js";

const KEYS = Object.freeze({ j: "join", w: "cloud", g: "gallery", t: "timer" });
/** What each screen is called, for "Now showing …". */
const NAMES = Object.freeze({ join: "presenter.show_join", cloud: "presenter.show_cloud", gallery: "presenter.show_gallery", timer: "presenter.show_timer" });

/** @param {Document} doc @param {any} config */
export async function mountPresenter(doc, config) {
  const stage = /** @type {HTMLElement} */ (doc.getElementById("main"));
  const join = /** @type {HTMLElement} */ (doc.getElementById("presenter-join"));
  const live = /** @type {HTMLElement} */ (doc.getElementById("presenter-live"));
  const switcher = /** @type {HTMLElement} */ (doc.getElementById("presenter-switcher"));
  const boardChoice = /** @type {HTMLSelectElement} */ (doc.getElementById("presenter-board"));
  const channel = presenterChannel(config.workshop.id);
  /** @type {{close: () => void} | null} */
  let current = null;
  let showing = "";

  function show(/** @type {string} */ wanted) {
    if (isShow(wanted) && boardFor(config, wanted) === null) {
      // A board opened since this page loaded: learn the boards again, then show it if it is there.
      boardsNow(config, boardChoice).then(() => show(boardFor(config, wanted) ? wanted : "join"));
      return;
    }
    const what = isShow(wanted) ? wanted : "join";
    if (what === showing) return;
    showing = what;
    current?.close();
    const other = /** @type {HTMLElement} */ (doc.getElementById("presenter-other"));
    join.hidden = what !== "join";
    other.hidden = what === "join";
    other.replaceChildren();
    other.className = `presenter-screen presenter-${what.replace(/-\d+$/, "")}`;
    current = mountScreen(other, what, config);
    stage.dataset.showing = what;
    if (what.startsWith("board-")) boardChoice.value = what.slice(6);
    for (const button of switcher.querySelectorAll("[data-show]")) {
      button.setAttribute("aria-pressed", String(/** @type {HTMLElement} */ (button).dataset.show === what));
    }
    if (location.hash !== `#${what}`) history.replaceState(null, "", `#${what}`);
    setText(live, t("presenter.now_showing", { what: label(what) }));
    channel.postMessage({ showing: what });
  }

  /** A choice made on this screen: shown here, and told to the other screens and the server. */
  function choose(/** @type {string} */ wanted) {
    show(wanted);
    if (isShow(wanted)) tellScreens(config.workshop.id, wanted);
  }

  mountSwitcher(doc, switcher, boardChoice, choose);
  window.addEventListener("hashchange", () => choose(location.hash.slice(1)));
  channel.addEventListener("message", (event) => {
    if (event.data?.ask) channel.postMessage({ showing });
  });
  const main = config.boards.find((/** @type {any} */ b) => b.number === 0);
  if (main) followChoices({ protocol: config.protocol, workshop: config.workshop.id, main, show });
  // The latest choice made anywhere, else what the address names, else the join code.
  show((await latestShow(config.workshop.id)) ?? (location.hash.slice(1) || "join"));
}

/**
 * Draw screen `what` (other than the join code, which is always on the page) into `other`.
 * @param {HTMLElement} other @param {string} what @param {any} config
 * @returns {{close: () => void} | null} what stops watching it
 */
function mountScreen(other, what, config) {
  const { protocol, boards } = config;
  const workshop = config.workshop.id;
  if (what === "cloud") return mountPresenterCloud(other, { workshop, lang: config.lang });
  if (what === "gallery") return mountGalleryView(other, { workshop, protocol, boards, heading: "h2" });
  if (what === "timer") return mountPresenterTimer(other, { protocol, boards });
  if (what.startsWith("board-")) return mountPresenterBoard(other, { protocol, board: /** @type {any} */ (boardFor(config, what)) });
  return null;
}

/** The switcher's buttons and keys, and hiding it (S) so only the screen shows. */
function mountSwitcher(
  /** @type {Document} */ doc,
  /** @type {HTMLElement} */ switcher,
  /** @type {HTMLSelectElement} */ boardChoice,
  /** @type {(what: string) => void} */ show,
) {
  for (const button of switcher.querySelectorAll("[data-show]")) {
    button.addEventListener("click", () => show(/** @type {HTMLElement} */ (button).dataset.show ?? "join"));
  }
  doc.getElementById("presenter-show-board")?.addEventListener("click", () => show(`board-${boardChoice.value}`));
  doc.getElementById("presenter-hide")?.addEventListener("click", () => hideSwitcher(true));
  function hideSwitcher(/** @type {boolean} */ hide) {
    switcher.hidden = hide;
    /** @type {HTMLElement} */ (doc.getElementById("presenter-reveal")).hidden = !hide;
  }
  doc.getElementById("presenter-reveal")?.addEventListener("click", () => {
    hideSwitcher(false);
    /** @type {HTMLElement | null} */ (switcher.querySelector("[aria-pressed=true]"))?.focus();
  });
  doc.addEventListener("keydown", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (event.ctrlKey || event.metaKey || event.altKey || target.closest("select, input, textarea")) return;
    const key = event.key.toLowerCase();
    if (key in KEYS) show(KEYS[/** @type {keyof typeof KEYS} */ (key)]);
    else if (/^\d$/.test(key)) show(`board-${key}`);
    else if (key === "s") hideSwitcher(!switcher.hidden);
  });
}

/** Ask the server for the workshop's boards now (breakouts may have opened since the page loaded). */
async function boardsNow(/** @type {any} */ config, /** @type {HTMLSelectElement} */ boardChoice) {
  try {
    const response = await fetch(`/api/workshops/${config.workshop.id}/present`, { credentials: "same-origin" });
    if (!response.ok) return;
    config.boards = (await response.json()).all_boards ?? config.boards;
    boardChoice.replaceChildren(
      ...config.boards.map((/** @type {{number: number}} */ b) =>
        el("option", { value: b.number }, b.number ? t("dashboard.board_n", { number: b.number }) : t("presenter.main_board")),
      ),
    );
  } catch {
    // Offline: the boards stay as they were.
  }
}

/** The board a `board-N` names, or undefined for the other screens; null: no such board. */
function boardFor(/** @type {any} */ config, /** @type {string} */ what) {
  if (!what.startsWith("board-")) return undefined;
  const number = Number(what.slice(6));
  return config.boards.find((/** @type {any} */ b) => b.number === number) ?? null;
}

/** What a screen is called, for "Now showing …". */
function label(/** @type {string} */ what) {
  if (what.startsWith("board-")) {
    const number = Number(what.slice(6));
    return number ? t("dashboard.board_n", { number }) : t("presenter.main_board");
  }
  return t(NAMES[/** @type {keyof typeof NAMES} */ (what)]);
}
