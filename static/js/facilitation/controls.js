// The facilitator's panel on the board: which boards its actions are for (this board, all
// breakout boards, the main board, all boards or boards ticked, issue 17), lock, private mode
// and its reveal, dot voting (open, results, votes each), the timer (start, pause, resume, add
// a minute, clear) and a message; cursors and chosen names; "bring everyone here", "follow me"
// and everyone back to the main board. For this board, each control changes a board setting
// (a `settings` op), tells the server what to do with the timer (a `timer` op: the server
// keeps its time) or sends a signal, its label saying what pressing it does now. For more
// boards, the controls are the dashboard's (everyboard.js): one request changes every chosen
// board together, and the panel says the outcome per board.
import { el, setText } from "../dom.js";
import { errorText } from "../errors.js";
import { t, tn } from "../i18n.js";
import { applyToBoards, backLabel, bringBack, broughtBack, mountBoardChoice, outcome, sendMessage } from "./everyboard.js";
import { addMinute, clear, pauseOrResume, start } from "./timer.js";

/** While following, the view is sent at most this often, in ms. */
const FOLLOW_EVERY_MS = 150;

/** @param {any} ctx the board's feature context */
export function mountControls(ctx) {
  const panel = el("section", { id: "fac-panel", class: "panel fac-panel", "aria-labelledby": "fac-title", hidden: true });
  const button = el("button", { type: "button", class: "tool fac-button", "aria-expanded": "false", "aria-controls": "fac-panel" }, t("dashboard.fac.title"));
  ctx.toolbar.append(button);
  ctx.panels.append(panel);
  const close = el("button", { type: "button", class: "panel-close", "aria-label": t("common.close") }, "×");
  const head = el("div", { class: "panel-head" });
  head.append(el("h2", { id: "fac-title" }, t("dashboard.fac.title")), close);
  const show = (/** @type {boolean} */ open) => {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    (open ? /** @type {HTMLElement} */ (panel.querySelector("button:not(.panel-close), input")) : button)?.focus();
  };
  button.addEventListener("click", () => show(panel.hidden));
  close.addEventListener("click", () => show(false));

  const forBoards = new ForBoards(ctx);
  const people = peopleControls(ctx, () => draw());
  const views = viewControls(ctx, () => draw());
  // The way back to the dashboard (breakouts, people, the record) without a pointer or a second tab.
  const dashboard = el("a", { class: "button secondary fac-dashboard", href: `/w/${ctx.config.workshop.id}/dashboard` }, t("dashboard.open_dashboard"));
  panel.append(head, ...forBoards.groups, group(t("yourname.people"), row(...people.nodes)), group(t("dashboard.fac.views"), row(...views.nodes)), dashboard);

  /** Labels, pressed states and what is shown, from the settings and the choice of boards now. */
  function draw() {
    forBoards.draw();
    people.draw();
    views.draw();
    const closed = Boolean(ctx.settings().closed);
    for (const node of panel.querySelectorAll("button:not(.panel-close), input, textarea")) /** @type {HTMLButtonElement} */ (node).disabled ||= closed;
  }
  forBoards.choice.element.addEventListener("change", draw);
  ctx.events.addEventListener("settings", draw);
  ctx.events.addEventListener("welcome", draw);
  draw();
}

/**
 * The panel's controls that act on the chosen boards: the choice itself; lock and private
 * mode; voting; the timer; a message; everyone back to the main board; and the outcome line.
 */
class ForBoards {
  /** @param {any} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    const boards = ctx.config.boards ?? [{ id: ctx.config.board, number: ctx.config.number }];
    this.choice = mountBoardChoice({ prefix: "fac", boards, here: ctx.config.number });
    this.status = el("p", { class: "fac-outcome", role: "status", "aria-live": "polite" });
    /** Buttons shown only while the choice is this board (toggles), or only for more boards. */
    /** @type {HTMLElement[]} */ this.hereOnly = [];
    /** @type {HTMLElement[]} */ this.manyOnly = [];
    /** @type {HTMLElement | undefined} "Everyone back", with breakout boards to come back from. */
    this.back = undefined;
    const change = (/** @type {any} */ props) => ctx.send({ kind: "settings", props });
    const settings = () => ctx.settings();

    this.lock = this.toggle("lock", () => change({ locked: !settings().locked }));
    this.privately = this.toggle("private", () => change({ private_mode: !settings().private_mode }));
    this.voting = this.toggle("voting", () => change({ voting: !settings().voting }));
    this.results = this.toggle("results", () => change({ votes_shown: !settings().votes_shown }));
    this.budget = /** @type {HTMLInputElement} */ (el("input", { id: "fac-budget", type: "number", min: 0, max: ctx.config.limits?.max_vote_budget ?? 100, inputmode: "numeric" }));
    this.budget.addEventListener("change", () => {
      const value = Number(this.budget.value);
      if (!this.choice.many() && Number.isInteger(value) && value >= 0) change({ vote_budget: value });
    });
    this.minutes = /** @type {HTMLInputElement} */ (el("input", { id: "fac-minutes", type: "number", min: 0.1, max: 1440, step: "any", value: 5, inputmode: "decimal" }));
    this.startTimer = this.both("timer-start", t("dashboard.fac.timer_start"), "", () => ctx.send(start(Number(this.minutes.value))), () => Number(this.minutes.value) > 0);
    this.pauseTimer = this.toggle("timer-pause", () => {
      const timer = settings().timer;
      if (timer) ctx.send(pauseOrResume(timer));
    });
    this.plusMinute = this.both("timer-plus", t("dashboard.fac.timer_plus"), "secondary", () => ctx.send(addMinute()), () => Boolean(settings().timer));
    this.clearTimer = this.both("timer-clear", t("dashboard.fac.timer_clear"), "secondary", () => ctx.send(clear()));

    this.groups = [
      this.choice.element,
      group(t("dashboard.fac.board_settings"), row(this.lock, this.privately, this.wide("lock", t("dashboard.all.lock_on")), this.wide("unlock", t("dashboard.all.lock_off")), this.wide("private-on", t("dashboard.fac.private")), this.wide("private-off", t("dashboard.fac.reveal")))),
      group(t("dashboard.fac.voting"), labelled(this.budget, t("dashboard.fac.budget")), row(this.voting, this.results, this.wide("voting-open", t("dashboard.fac.voting_open"), ""), this.wide("results-show", t("dashboard.fac.results_show")), this.wide("voting-close", t("dashboard.fac.voting_close")))),
      group(t("dashboard.fac.timer"), labelled(this.minutes, t("dashboard.fac.minutes")), row(this.startTimer, this.pauseTimer, this.wide("timer-pause", t("dashboard.fac.timer_pause")), this.wide("timer-resume", t("dashboard.fac.timer_resume")), this.plusMinute, this.clearTimer)),
      this.messageGroup(),
      ...this.backGroup(),
      this.status,
    ];
  }

  /** A button that turns a setting on and off on this board, its label saying what pressing it does. @param {string} name @param {() => void} action */
  toggle(name, action) {
    const node = el("button", { type: "button", class: "secondary", "data-control": name });
    node.addEventListener("click", action);
    this.hereOnly.push(node);
    return node;
  }

  /** A button for the chosen boards only (the dashboard's action `name`). @param {string} name @param {string} label */
  wide(name, label, kind = "secondary") {
    const node = el("button", { type: "button", class: kind, "data-all": name }, label);
    node.addEventListener("click", () => this.run(name));
    this.manyOnly.push(node);
    return node;
  }

  /**
   * A button for this board (`here`, when `ready` says so) and the chosen boards alike.
   * @param {string} name @param {string} label @param {string} kind @param {() => void} here @param {() => boolean} [ready]
   */
  both(name, label, kind, here, ready = () => true) {
    const node = el("button", { type: "button", class: kind, "data-control": name }, label);
    const wide = { "timer-start": "timer-start", "timer-plus": "timer-add", "timer-clear": "timer-clear" }[name] ?? name;
    node.addEventListener("click", () => {
      if (this.choice.many()) this.run(wide);
      else if (ready()) here();
    });
    return node;
  }

  /** Do a dashboard action on the chosen boards and say how it went. @param {string} name */
  async run(name) {
    const boards = this.chosen();
    if (boards === null) return;
    const values = { minutes: Number(this.minutes.value || 0), budget: Number(this.budget.value || 0) };
    try {
      this.say(...outcome(await applyToBoards(this.ctx.config.workshop.id, name, boards, values)));
    } catch (error) {
      this.say(t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
    }
  }

  /** The chosen boards, or null with the problem said. */
  chosen() {
    this.say("");
    const boards = this.choice.selection();
    if (boards === null) this.say(t("dashboard.all.choose_one"), true);
    return boards;
  }

  /** @param {string} text @param {boolean} [problem] */
  say(text, problem = false) {
    this.status.classList.toggle("problem", problem);
    setText(this.status, text);
  }

  /** A message to everyone on the chosen boards, shown in a band above their board. */
  messageGroup() {
    const text = /** @type {HTMLTextAreaElement} */ (el("textarea", { id: "fac-message", rows: 2, maxlength: this.ctx.config.limits?.max_message_text ?? 280 }));
    const send = /** @type {HTMLButtonElement} */ (el("button", { type: "submit" }, t("dashboard.fac.send")));
    const form = el("form", { class: "fac-message", novalidate: true });
    form.append(el("label", { for: "fac-message" }, t("dashboard.all.message")), text, row(send));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!text.value.trim()) {
        this.say(t("dashboard.all.message_empty"), true);
        text.focus();
        return;
      }
      const boards = this.chosen();
      if (boards === null) return;
      send.disabled = true;
      try {
        this.say(tn("dashboard.all.sent", await sendMessage(this.ctx.config.workshop.id, boards, text.value)));
        text.value = "";
      } catch (error) {
        this.say(t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
      } finally {
        send.disabled = false;
      }
    });
    return group(t("dashboard.fac.message"), form);
  }

  /** Everyone on the chosen boards back to the main board, its label saying whom (only with breakout boards to come back from). */
  backGroup() {
    if (!(this.ctx.config.boards ?? []).some((/** @type {any} */ board) => board.number > 0)) return [];
    this.back = el("button", { type: "button", class: "secondary", "data-control": "back" }, t("dashboard.back"));
    this.back.addEventListener("click", async () => {
      const boards = this.chosen();
      if (boards === null) return;
      try {
        this.say(broughtBack(await bringBack(this.ctx.config.workshop.id, boards)));
      } catch (error) {
        this.say(t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
      }
    });
    return [group(t("dashboard.breakouts"), row(this.back))];
  }

  draw() {
    const settings = this.ctx.settings();
    const many = this.choice.many();
    for (const node of this.hereOnly) node.hidden = many;
    for (const node of this.manyOnly) node.hidden = !many;
    if (this.back) setText(this.back, backLabel(this.choice.selection()));
    pressed(this.lock, settings.locked, t("dashboard.fac.unlock"), t("dashboard.fac.lock"));
    pressed(this.privately, settings.private_mode, t("dashboard.fac.reveal"), t("dashboard.fac.private"));
    pressed(this.voting, settings.voting, t("dashboard.fac.voting_close"), t("dashboard.fac.voting_open"));
    pressed(this.results, settings.votes_shown, t("dashboard.fac.results_hide"), t("dashboard.fac.results_show"));
    if (!many && document.activeElement !== this.budget) this.budget.value = String(settings.vote_budget);
    const timer = settings.timer;
    setText(this.pauseTimer, timer && typeof timer.ends_at === "number" ? t("dashboard.fac.timer_pause") : t("dashboard.fac.timer_resume"));
    // For more boards, any may have a timer: each board says whether it took the change.
    for (const node of [this.pauseTimer, this.plusMinute, this.clearTimer]) /** @type {HTMLButtonElement} */ (node).disabled = !many && !timer;
    for (const node of [this.lock, this.privately, this.voting, this.results, ...this.manyOnly, this.startTimer, this.budget, this.minutes]) /** @type {HTMLButtonElement} */ (node).disabled = false;
  }
}

/** Cursors shown or not, and whether people may show a name of their own. @param {any} ctx @param {() => void} redraw */
function peopleControls(ctx, redraw) {
  const change = (/** @type {any} */ props) => ctx.send({ kind: "settings", props });
  const cursors = el("button", { type: "button", class: "secondary", "data-control": "cursors" });
  cursors.addEventListener("click", () => change({ cursors: ctx.settings().cursors === false }));
  let namesAllowed = Boolean(ctx.config.names_allowed);
  const names = el("button", { type: "button", class: "secondary", "data-control": "names" });
  names.addEventListener("click", async () => {
    const response = await fetch(`/api/workshops/${ctx.config.workshop.id}/names`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ allowed: !namesAllowed }),
      credentials: "same-origin",
    });
    if (!response.ok) ctx.notify(errorText((await response.json().catch(() => null))?.error), "error");
  });
  ctx.events.addEventListener("notice", (/** @type {CustomEvent} */ event) => {
    if (event.detail?.kind !== "names") return;
    namesAllowed = Boolean(event.detail.allowed);
    redraw();
  });
  return {
    nodes: [cursors, names],
    draw() {
      pressed(cursors, ctx.settings().cursors === false, t("yourname.cursors_show"), t("yourname.cursors_hide"));
      pressed(names, namesAllowed, t("yourname.disallow"), t("yourname.allow"));
      cursors.disabled = names.disabled = false;
    },
  };
}

/** "Bring everyone here" and "Follow me": everyone on this board to the facilitator's view. @param {any} ctx @param {() => void} redraw */
function viewControls(ctx, redraw) {
  const summon = el("button", { type: "button", "data-control": "summon" }, t("dashboard.fac.summon"));
  summon.addEventListener("click", () => {
    const view = ctx.viewport();
    ctx.signal("summon", view.x, view.y, view.zoom);
    ctx.notify(t("dashboard.fac.summoned"));
  });
  let following = false;
  let lastSent = -Infinity;
  let trailing = 0;
  /** Send where the view is now; what a burst of moves left unsent goes once it settles, so
   * followers always end on the view the facilitator stopped at. */
  const lead = () => {
    window.clearTimeout(trailing);
    trailing = 0;
    if (!following) return;
    const wait = lastSent + FOLLOW_EVERY_MS - performance.now();
    if (wait > 0) {
      trailing = window.setTimeout(lead, wait);
      return;
    }
    const view = ctx.viewport();
    if (ctx.signal("follow", view.x, view.y, view.zoom)) lastSent = performance.now();
    else trailing = window.setTimeout(lead, FOLLOW_EVERY_MS); // over the send pace: again soon
  };
  const follow = el("button", { type: "button", class: "secondary", "data-control": "follow" });
  follow.addEventListener("click", () => {
    following = !following;
    const view = ctx.viewport();
    window.clearTimeout(trailing);
    // Starting to lead ends any lead before it first, so people who had left it come along.
    ctx.signal("unfollow", view.x, view.y, view.zoom);
    lastSent = -Infinity;
    lead();
    redraw();
  });
  ctx.events.addEventListener("viewport", lead);
  return {
    nodes: [summon, follow],
    draw() {
      pressed(follow, following, t("dashboard.fac.unfollow"), t("dashboard.fac.follow"));
      summon.disabled = follow.disabled = false;
    },
  };
}

/** A toggle's label and pressed state: `on` says what pressing it does while it is on. @param {HTMLElement} node @param {any} state @param {string} on @param {string} off */
function pressed(node, state, on, off) {
  setText(node, state ? on : off);
  node.setAttribute("aria-pressed", String(Boolean(state)));
}

/** @param {string} title @param {...Node} children */
function group(title, ...children) {
  const box = el("div", { class: "fac-group", role: "group", "aria-label": title });
  box.append(el("h3", {}, title), ...children);
  return box;
}

/** @param {HTMLElement} input @param {string} text */
function labelled(input, text) {
  const box = el("div", { class: "row fac-field" });
  box.append(el("label", { for: input.id }, text), input);
  return box;
}

/** @param {...Node} children */
function row(...children) {
  const box = el("div", { class: "row" });
  box.append(...children);
  return box;
}
