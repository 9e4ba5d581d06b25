// Running a workshop: who is where, a row per person with a "move to" box starting at
// their board (polled: the API answers from every board's presence),
// breakout boards and allocation, moving one person, the gallery pull,
// closing and deleting, and the full-screen join view. User text (names, titles) only ever
// goes in through textContent.
import { el, setText } from "../dom.js";
import { t, tn } from "../i18n.js";
import { displayName } from "../names.js";
import { call, mountCopyButtons, onPress, say } from "./api.js";

/** How often the list of people present is refreshed, in ms. */
const PRESENT_POLL_MS = 3000;

/**
 * @typedef {{id: string, number: number}} BoardRef
 * @typedef {{cid: string, name: string, board: number}} Person
 */

/**
 * @param {Document} doc @param {any} config
 * @param {(boards: BoardRef[]) => void} [onBoards] told when breakout boards are opened
 */
export function mountRunning(doc, config, onBoards = (/** @type {BoardRef[]} */ _boards) => {}) {
  const running = new Running(doc, config);
  running.onBoards = onBoards;
  running.mountBreakouts();
  running.mountEnding();
  mountScreen(doc);
  mountCopyButtons(doc);
  running.renderBoards();
  running.polling = window.setInterval(() => running.refresh(), PRESENT_POLL_MS);
  return running.refresh();
}

/** The boards and the people on them, as last polled, and the panels that show and change them. */
class Running {
  /** @param {Document} doc @param {any} config */
  constructor(doc, config) {
    this.doc = doc;
    this.workshop = config.workshop;
    /** @type {BoardRef[]} */
    this.boards = config.boards;
    /** @type {Record<string, number>} */
    this.counts = {};
    /** @type {Person[]} */
    this.people = [];
    this.polling = 0;
    this.peopleCount = 0;
    /** Told the workshop's boards whenever breakout boards are opened. */
    this.onBoards = (/** @type {BoardRef[]} */ _boards) => {};
    const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (doc.getElementById(id));
    this.countNode = $("present-count");
    this.peopleList = $("people");
    this.boardList = $("boards");
    this.boardCount = /** @type {HTMLInputElement} */ ($("board-count"));
    this.groupSize = /** @type {HTMLInputElement} */ ($("group-size"));
    this.breakoutStatus = $("breakout-status");
    this.pullStatus = $("pull-status");
    this.endingStatus = $("ending-status");
    this.boardCount.value = String(this.boards.filter((board) => board.number > 0).length);
  }

  /** @param {string} action */
  api(action) {
    return `/api/workshops/${this.workshop.id}/${action}`;
  }

  renderBoards() {
    const { boardList } = this;
    const wanted = new Set(this.boards.map((board) => board.id));
    for (const item of [...boardList.children]) {
      if (!wanted.has(/** @type {HTMLElement} */ (item).dataset.id ?? "")) item.remove();
    }
    for (const board of this.boards) {
      let item = /** @type {HTMLElement | null} */ (boardList.querySelector(`[data-id="${board.id}"]`));
      if (!item) {
        item = el("li", { "data-id": board.id });
        item.append(el("a", { href: `/b/${board.id}` }), el("span", { class: "count-badge" }));
        boardList.append(item);
      }
      setText(/** @type {HTMLElement} */ (item.firstChild), boardName(board.number));
      const here = this.counts[String(board.number)] ?? 0;
      setText(/** @type {HTMLElement} */ (item.lastChild), here ? `(${here})` : "");
    }
  }

  renderPeople() {
    const { peopleList, peopleCount } = this;
    // "Nobody is here yet" reads better than "0 people" (English has no zero plural form).
    setText(this.countNode, peopleCount === 0 ? t("dashboard.present_count.zero") : tn("dashboard.present_count", peopleCount));
    const wanted = new Set(this.people.map((person) => person.cid));
    for (const item of [...peopleList.children]) {
      if (!wanted.has(/** @type {HTMLElement} */ (item).dataset.id ?? "")) item.remove();
    }
    this.people.forEach((person, index) => {
      let item = /** @type {HTMLElement | null} */ (peopleList.querySelector(`[data-id="${CSS.escape(person.cid)}"]`));
      if (!item) item = this.personRow(person);
      setText(/** @type {HTMLElement} */ (item.querySelector(".name")), displayName(person.name));
      setText(/** @type {HTMLElement} */ (item.querySelector(".where")), boardName(person.board));
      this.syncOptions(/** @type {HTMLSelectElement} */ (item.querySelector("select")), person);
      if (peopleList.children[index] !== item) peopleList.insertBefore(item, peopleList.children[index] ?? null);
    });
  }

  /** @param {Person} person */
  personRow(person) {
    const id = `move-${person.cid}`;
    const item = el("tr", { "data-id": person.cid });
    const select = el("select", { id, "aria-label": t("dashboard.move_to", { name: displayName(person.name) }) });
    const move = el("button", { type: "button", class: "secondary" }, t("dashboard.move"));
    move.addEventListener("click", async () => {
      const number = Number(/** @type {HTMLSelectElement} */ (select).value);
      try {
        const moved = await call("POST", this.api("move"), { person: person.cid, board: number });
        say(this.breakoutStatus, t("dashboard.moved", { name: displayName(moved.name), board: boardName(moved.board) }));
        delete select.dataset.chosen;
        this.refresh();
      } catch (error) {
        say(this.breakoutStatus, t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
      }
    });
    // Once the facilitator picks a board, the box keeps it until the move is made.
    select.addEventListener("change", () => {
      select.dataset.chosen = "1";
    });
    const moving = el("td", { class: "moving" });
    moving.append(select, move);
    item.append(el("th", { class: "name", scope: "row" }), el("td", { class: "where" }), moving);
    return item;
  }

  /**
   * The box lists every board and starts at the board the person is on, following them as they
   * move, until the facilitator picks another.
   * @param {HTMLSelectElement} select @param {Person} person
   */
  syncOptions(select, person) {
    const numbers = this.boards.map((board) => String(board.number));
    const chosen = select.dataset.chosen ? select.value : String(person.board);
    if ([...select.options].map((option) => option.value).join() !== numbers.join()) {
      select.replaceChildren(...this.boards.map((board) => el("option", { value: board.number }, boardName(board.number))));
    }
    select.value = numbers.includes(chosen) ? chosen : String(person.board);
  }

  async refresh() {
    try {
      const present = await call("GET", this.api("present"));
      this.people = present.people;
      this.counts = present.boards;
      this.peopleCount = present.count;
      this.renderPeople();
      this.renderBoards();
    } catch {
      // Offline for a moment: the next poll tries again.
    }
  }

  /** Opening breakout boards, allocating people to them, the gallery pull ("everyone back"
   * is with the other actions for chosen boards, ./everyboard.js). */
  mountBreakouts() {
    const { doc, breakoutStatus, boardCount } = this;
    onPress(/** @type {HTMLButtonElement} */ (doc.getElementById("open-boards")), async () => {
      const opened = await call("POST", this.api("breakouts"), { boards: Number(boardCount.value || 0) });
      this.boards = opened.boards;
      say(breakoutStatus, t("dashboard.opened", { count: this.boards.length - 1 }));
      boardCount.value = String(this.boards.length - 1);
      this.onBoards(this.boards);
      this.renderBoards();
      this.renderPeople();
    }, breakoutStatus);
    onPress(/** @type {HTMLButtonElement} */ (doc.getElementById("allocate")), async () => {
      const done = await call("POST", this.api("allocate"), { size: Number(this.groupSize.value || 2) });
      this.boards = done.boards;
      boardCount.value = String(this.boards.length - 1);
      this.onBoards(this.boards);
      const sent = done.groups.reduce((/** @type {number} */ sum, /** @type {any} */ group) => sum + group.people.length, 0);
      say(breakoutStatus, t("dashboard.allocated", { people: sent, groups: done.groups.length }));
      await this.refresh();
    }, breakoutStatus);
    onPress(/** @type {HTMLButtonElement} */ (doc.getElementById("pull")), async () => {
      const pulled = await call("POST", this.api("pull"), {});
      const total = Object.values(pulled.pulled).reduce((sum, count) => sum + Number(count), 0);
      say(this.pullStatus, t("dashboard.pulled", { count: total }));
    }, this.pullStatus);
  }

  /** Closing the workshop, and deleting it (each behind a confirmation). */
  mountEnding() {
    const { doc, endingStatus } = this;
    mountConfirm(doc, "close", async () => {
      await call("POST", this.api("close"), {});
      say(endingStatus, t("dashboard.closed"));
      /** @type {HTMLElement} */ (doc.getElementById("closed-banner")).hidden = false;
    }, endingStatus);
    mountConfirm(doc, "delete", async () => {
      await call("DELETE", `/api/workshops/${this.workshop.id}`);
      clearInterval(this.polling);
      say(endingStatus, t("dashboard.deleted"));
      for (const section of doc.querySelectorAll("main .panel:not(#ending)")) /** @type {HTMLElement} */ (section).hidden = true;
      for (const id of ["close", "delete"]) /** @type {HTMLElement} */ (doc.getElementById(id)).hidden = true;
      /** @type {HTMLElement} */ (doc.getElementById("start-another")).hidden = false;
    }, endingStatus);
  }
}

/** @param {number} number */
function boardName(number) {
  return number === 0 ? t("dashboard.main_board") : t("dashboard.board_n", { number });
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
