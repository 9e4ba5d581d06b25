// Running a workshop: who is here (polled: the API answers from every board's presence),
// breakout boards and allocation, moving one person, everyone back, the gallery pull,
// closing and deleting, and the full-screen join view. User text (names, titles) only ever
// goes in through textContent.
import { el, setText } from "../dom.js";
import { t, tn } from "../i18n.js";
import { displayName } from "../names.js";
import { call, mountCopyButtons, say } from "./api.js";

/** How often the list of people present is refreshed, in ms. */
const PRESENT_POLL_MS = 3000;

/**
 * @typedef {{id: string, number: number}} BoardRef
 * @typedef {{cid: string, name: string, board: number}} Person
 */

/** @param {Document} doc @param {any} config */
export function mountRunning(doc, config) {
  const workshop = config.workshop;
  const api = (/** @type {string} */ action) => `/api/workshops/${workshop.id}/${action}`;
  /** @type {BoardRef[]} */
  let boards = config.boards;
  /** @type {Record<string, number>} */
  let counts = {};
  /** @type {Person[]} */
  let people = [];
  let polling = 0;
  let peopleCount = 0;

  const countNode = /** @type {HTMLElement} */ (doc.getElementById("present-count"));
  const peopleList = /** @type {HTMLElement} */ (doc.getElementById("people"));
  const boardList = /** @type {HTMLElement} */ (doc.getElementById("boards"));
  const boardCount = /** @type {HTMLInputElement} */ (doc.getElementById("board-count"));
  const groupSize = /** @type {HTMLInputElement} */ (doc.getElementById("group-size"));
  const breakoutStatus = /** @type {HTMLElement} */ (doc.getElementById("breakout-status"));
  const pullStatus = /** @type {HTMLElement} */ (doc.getElementById("pull-status"));
  const endingStatus = /** @type {HTMLElement} */ (doc.getElementById("ending-status"));

  boardCount.value = String(boards.filter((board) => board.number > 0).length);

  const boardName = (/** @type {number} */ number) =>
    number === 0 ? t("dashboard.main_board") : t("dashboard.board_n", { number });

  function renderBoards() {
    const wanted = new Set(boards.map((board) => board.id));
    for (const item of [...boardList.children]) {
      if (!wanted.has(/** @type {HTMLElement} */ (item).dataset.id ?? "")) item.remove();
    }
    for (const board of boards) {
      let item = /** @type {HTMLElement | null} */ (boardList.querySelector(`[data-id="${board.id}"]`));
      if (!item) {
        item = el("li", { "data-id": board.id });
        item.append(el("a", { href: `/b/${board.id}` }), el("span", { class: "count-badge" }));
        boardList.append(item);
      }
      setText(/** @type {HTMLElement} */ (item.firstChild), boardName(board.number));
      const here = counts[String(board.number)] ?? 0;
      setText(/** @type {HTMLElement} */ (item.lastChild), here ? `(${here})` : "");
    }
  }

  function renderPeople() {
    // "Nobody is here yet" reads better than "0 people" (English has no zero plural form).
    setText(countNode, peopleCount === 0 ? t("dashboard.present_count.zero") : tn("dashboard.present_count", peopleCount));
    const wanted = new Set(people.map((person) => person.cid));
    for (const item of [...peopleList.children]) {
      if (!wanted.has(/** @type {HTMLElement} */ (item).dataset.id ?? "")) item.remove();
    }
    people.forEach((person, index) => {
      let item = /** @type {HTMLElement | null} */ (peopleList.querySelector(`[data-id="${CSS.escape(person.cid)}"]`));
      if (!item) item = personRow(person);
      setText(/** @type {HTMLElement} */ (item.querySelector(".name")), displayName(person.name));
      setText(/** @type {HTMLElement} */ (item.querySelector(".where")), t("dashboard.on_board", { board: boardName(person.board) }));
      syncOptions(/** @type {HTMLSelectElement} */ (item.querySelector("select")), person);
      if (peopleList.children[index] !== item) peopleList.insertBefore(item, peopleList.children[index] ?? null);
    });
  }

  /** @param {Person} person */
  function personRow(person) {
    const id = `move-${person.cid}`;
    const item = el("li", { "data-id": person.cid });
    const select = el("select", { id, "aria-label": t("dashboard.move_to", { name: displayName(person.name) }) });
    const move = el("button", { type: "button", class: "secondary" }, t("dashboard.move"));
    move.addEventListener("click", async () => {
      const number = Number(/** @type {HTMLSelectElement} */ (select).value);
      try {
        const moved = await call("POST", api("move"), { person: person.cid, board: number });
        say(breakoutStatus, t("dashboard.moved", { name: displayName(moved.name), board: boardName(moved.board) }));
        delete select.dataset.chosen;
        refresh();
      } catch (error) {
        say(breakoutStatus, t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
      }
    });
    // Once the facilitator picks a board, the box keeps it until the move is made.
    select.addEventListener("change", () => {
      select.dataset.chosen = "1";
    });
    item.append(el("span", { class: "name" }), el("span", { class: "where" }), select, move);
    return item;
  }

  /**
   * The box lists every board and starts at the board the person is on, following them as they
   * move, until the facilitator picks another.
   * @param {HTMLSelectElement} select @param {Person} person
   */
  function syncOptions(select, person) {
    const numbers = boards.map((board) => String(board.number));
    const chosen = select.dataset.chosen ? select.value : String(person.board);
    if ([...select.options].map((option) => option.value).join() !== numbers.join()) {
      select.replaceChildren(...boards.map((board) => el("option", { value: board.number }, boardName(board.number))));
    }
    select.value = numbers.includes(chosen) ? chosen : String(person.board);
  }

  async function refresh() {
    try {
      const present = await call("GET", api("present"));
      people = present.people;
      counts = present.boards;
      peopleCount = present.count;
      renderPeople();
      renderBoards();
    } catch {
      // Offline for a moment: the next poll tries again.
    }
  }

  /** @param {string} id @param {() => Promise<void>} action @param {HTMLElement} status */
  function onClick(id, action, status) {
    const button = /** @type {HTMLButtonElement} */ (doc.getElementById(id));
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await action();
      } catch (error) {
        say(status, t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
      } finally {
        button.disabled = false;
      }
    });
  }

  onClick("open-boards", async () => {
    const opened = await call("POST", api("breakouts"), { boards: Number(boardCount.value || 0) });
    boards = opened.boards;
    say(breakoutStatus, t("dashboard.opened", { count: boards.length - 1 }));
    boardCount.value = String(boards.length - 1);
    renderBoards();
    renderPeople();
  }, breakoutStatus);

  onClick("allocate", async () => {
    const done = await call("POST", api("allocate"), { size: Number(groupSize.value || 2) });
    boards = done.boards;
    boardCount.value = String(boards.length - 1);
    const sent = done.groups.reduce((sum, group) => sum + group.people.length, 0);
    say(breakoutStatus, t("dashboard.allocated", { people: sent, groups: done.groups.length }));
    await refresh();
  }, breakoutStatus);

  onClick("back", async () => {
    await call("POST", api("back"), {});
    say(breakoutStatus, t("dashboard.brought_back"));
    await refresh();
  }, breakoutStatus);

  onClick("pull", async () => {
    const pulled = await call("POST", api("pull"), {});
    const total = Object.values(pulled.pulled).reduce((sum, count) => sum + Number(count), 0);
    say(pullStatus, t("dashboard.pulled", { count: total }));
  }, pullStatus);

  mountConfirm(doc, "close", async () => {
    await call("POST", api("close"), {});
    say(endingStatus, t("dashboard.closed"));
    /** @type {HTMLElement} */ (doc.getElementById("closed-banner")).hidden = false;
  }, endingStatus);

  mountConfirm(doc, "delete", async () => {
    await call("DELETE", `/api/workshops/${workshop.id}`);
    clearInterval(polling);
    say(endingStatus, t("dashboard.deleted"));
    for (const section of doc.querySelectorAll("main .panel:not(#ending)")) /** @type {HTMLElement} */ (section).hidden = true;
    for (const id of ["close", "delete"]) /** @type {HTMLElement} */ (doc.getElementById(id)).hidden = true;
    /** @type {HTMLElement} */ (doc.getElementById("start-another")).hidden = false;
  }, endingStatus);

  mountScreen(doc);
  mountCopyButtons(doc);
  renderBoards();
  polling = window.setInterval(refresh, PRESENT_POLL_MS);
  return refresh();
}

/**
 * A destructive action behind a confirmation shown in place: the first button reveals the
 * question and moves focus to its "yes"; "cancel" hides it and gives focus back.
 * @param {Document} doc @param {string} name @param {() => Promise<void>} action @param {HTMLElement} status
 */
function mountConfirm(doc, name, action, status) {
  const opener = /** @type {HTMLButtonElement} */ (doc.getElementById(name));
  const box = /** @type {HTMLElement} */ (doc.getElementById(`${name}-confirm`));
  const yes = /** @type {HTMLButtonElement} */ (doc.getElementById(`${name}-yes`));
  const cancel = /** @type {HTMLButtonElement} */ (box.querySelector("[data-cancel]"));
  const show = (/** @type {boolean} */ open) => {
    box.hidden = !open;
    opener.setAttribute("aria-expanded", String(open));
    (open ? yes : opener).focus();
  };
  opener.addEventListener("click", () => show(box.hidden));
  cancel.addEventListener("click", () => show(false));
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    try {
      await action();
      box.hidden = true;
      opener.setAttribute("aria-expanded", "false");
    } catch (error) {
      say(status, t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
    } finally {
      yes.disabled = false;
    }
  });
}

/** The full-screen join view for a projector. @param {Document} doc */
function mountScreen(doc) {
  const screen = /** @type {HTMLElement} */ (doc.getElementById("screen"));
  const open = /** @type {HTMLButtonElement} */ (doc.getElementById("show-screen"));
  const close = /** @type {HTMLButtonElement} */ (doc.getElementById("hide-screen"));
  const show = (/** @type {boolean} */ on) => {
    screen.hidden = !on;
    open.setAttribute("aria-pressed", String(on));
    (on ? close : open).focus();
  };
  open.addEventListener("click", () => show(true));
  close.addEventListener("click", () => show(false));
  doc.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !screen.hidden) show(false);
  });
}
