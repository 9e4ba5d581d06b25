// The facilitator's panel on the board: lock, private mode and its reveal, cursors and chosen
// names (shown or not), dot voting (open,
// results, votes each), the timer (set, pause, resume, add a minute, clear), "bring everyone
// here" and "follow me". Each control changes a board setting (a `settings` op), tells the
// server what to do with the timer (a `timer` op: the server keeps its time), or sends a
// signal; what everyone sees follows from the settings, drawn by the board and timer.js.
import { el, setText } from "../dom.js";
import { errorText } from "../errors.js";
import { t } from "../i18n.js";
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
    (open ? /** @type {HTMLElement} */ (panel.querySelector("button:not(.panel-close)")) : button)?.focus();
  };
  button.addEventListener("click", () => show(panel.hidden));
  close.addEventListener("click", () => show(false));

  const change = (/** @type {any} */ props) => ctx.send({ kind: "settings", props });
  /** A button that turns a setting on and off, its label saying what pressing it does. */
  const toggle = (/** @type {string} */ name, /** @type {() => void} */ action) => {
    const node = el("button", { type: "button", class: "secondary", "data-control": name });
    node.addEventListener("click", action);
    return node;
  };

  const lock = toggle("lock", () => change({ locked: !ctx.settings().locked }));
  const cursors = toggle("cursors", () => change({ cursors: ctx.settings().cursors === false }));
  let namesAllowed = Boolean(ctx.config.names_allowed);
  const names = toggle("names", async () => {
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
    draw();
  });
  const privately = toggle("private", () => change({ private_mode: !ctx.settings().private_mode }));
  const voting = toggle("voting", () => change({ voting: !ctx.settings().voting }));
  const results = toggle("results", () => change({ votes_shown: !ctx.settings().votes_shown }));
  const budget = el("input", { id: "fac-budget", type: "number", min: 0, max: ctx.config.limits?.max_vote_budget ?? 100, inputmode: "numeric" });
  budget.addEventListener("change", () => {
    const value = Number(/** @type {HTMLInputElement} */ (budget).value);
    if (Number.isInteger(value) && value >= 0) change({ vote_budget: value });
  });

  const minutes = el("input", { id: "fac-minutes", type: "number", min: 1, max: 1440, value: 5, inputmode: "numeric" });
  const startTimer = el("button", { type: "button", "data-control": "timer-start" }, t("dashboard.fac.timer_start"));
  const pauseTimer = toggle("timer-pause", () => {
    const timer = ctx.settings().timer;
    if (timer) ctx.send(pauseOrResume(timer));
  });
  const plusMinute = el("button", { type: "button", class: "secondary", "data-control": "timer-plus" }, t("dashboard.fac.timer_plus"));
  const clearTimer = el("button", { type: "button", class: "secondary", "data-control": "timer-clear" }, t("dashboard.fac.timer_clear"));
  startTimer.addEventListener("click", () => {
    const value = Number(/** @type {HTMLInputElement} */ (minutes).value);
    if (value > 0) ctx.send(start(value));
  });
  plusMinute.addEventListener("click", () => {
    if (ctx.settings().timer) ctx.send(addMinute());
  });
  clearTimer.addEventListener("click", () => ctx.send(clear()));

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
  const follow = toggle("follow", () => {
    following = !following;
    const view = ctx.viewport();
    window.clearTimeout(trailing);
    // Starting to lead ends any lead before it first, so people who had left it come along.
    ctx.signal("unfollow", view.x, view.y, view.zoom);
    lastSent = -Infinity;
    lead();
    draw();
  });
  ctx.events.addEventListener("viewport", lead);

  const group = (/** @type {string} */ title, /** @type {...Node} */ ...children) => {
    const box = el("div", { class: "fac-group", role: "group", "aria-label": title });
    box.append(el("h3", {}, title), ...children);
    return box;
  };
  const labelled = (/** @type {HTMLElement} */ input, /** @type {string} */ text) => {
    const row = el("div", { class: "row fac-field" });
    row.append(el("label", { for: input.id }, text), input);
    return row;
  };
  const row = (/** @type {...Node} */ ...children) => {
    const box = el("div", { class: "row" });
    box.append(...children);
    return box;
  };
  // The way back to the dashboard (breakouts, people, the record) without a pointer or a second tab.
  const dashboard = el("a", { class: "button secondary fac-dashboard", href: `/w/${ctx.config.workshop.id}/dashboard` }, t("dashboard.open_dashboard"));
  panel.append(
    head,
    group(t("dashboard.fac.board"), row(lock, privately)),
    group(t("yourname.people"), row(cursors, names)),
    group(t("dashboard.fac.voting"), row(voting, results), labelled(budget, t("dashboard.fac.budget"))),
    group(t("dashboard.fac.timer"), labelled(minutes, t("dashboard.fac.minutes")), row(startTimer, pauseTimer, plusMinute, clearTimer)),
    group(t("dashboard.fac.views"), row(summon, follow)),
    dashboard,
  );

  /** Labels and pressed states from the settings now. */
  function draw() {
    const settings = ctx.settings();
    setText(lock, settings.locked ? t("dashboard.fac.unlock") : t("dashboard.fac.lock"));
    lock.setAttribute("aria-pressed", String(Boolean(settings.locked)));
    setText(cursors, settings.cursors === false ? t("yourname.cursors_show") : t("yourname.cursors_hide"));
    cursors.setAttribute("aria-pressed", String(settings.cursors === false));
    setText(names, namesAllowed ? t("yourname.disallow") : t("yourname.allow"));
    names.setAttribute("aria-pressed", String(namesAllowed));
    setText(privately, settings.private_mode ? t("dashboard.fac.reveal") : t("dashboard.fac.private"));
    privately.setAttribute("aria-pressed", String(Boolean(settings.private_mode)));
    setText(voting, settings.voting ? t("dashboard.fac.voting_close") : t("dashboard.fac.voting_open"));
    voting.setAttribute("aria-pressed", String(Boolean(settings.voting)));
    setText(results, settings.votes_shown ? t("dashboard.fac.results_hide") : t("dashboard.fac.results_show"));
    results.setAttribute("aria-pressed", String(Boolean(settings.votes_shown)));
    if (document.activeElement !== budget) /** @type {HTMLInputElement} */ (budget).value = String(settings.vote_budget);
    const timer = settings.timer;
    const running = timer && typeof timer.ends_at === "number";
    setText(pauseTimer, running ? t("dashboard.fac.timer_pause") : t("dashboard.fac.timer_resume"));
    for (const node of [pauseTimer, plusMinute, clearTimer]) /** @type {HTMLButtonElement} */ (node).disabled = !timer;
    setText(follow, following ? t("dashboard.fac.unfollow") : t("dashboard.fac.follow"));
    follow.setAttribute("aria-pressed", String(following));
    const closed = Boolean(settings.closed);
    for (const node of panel.querySelectorAll("button:not(.panel-close), input")) /** @type {HTMLButtonElement} */ (node).disabled ||= closed;
  }
  ctx.events.addEventListener("settings", draw);
  ctx.events.addEventListener("welcome", draw);
  draw();
}
