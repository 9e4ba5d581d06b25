// The timer everyone sees (the board's `timer` setting), kept on the server's clock: the
// facilitator sends what they want (start, pause, resume, add a minute, clear: `timer` ops) and
// the server sets `ends_at` / `remaining` at its own time. Each page learns the server's time
// (`now` in the welcome and in the `clock` notice sent with every timer change) and counts
// down by the difference from its own clock, so a device whose clock is minutes out still
// shows the right time and says "Time is up" at the right moment. The clock turns red, says
// "Time is up" and the end is announced to screen readers once. Facilitators press the
// buttons of their panel (controls.js), which send the ops made below.
import { el, setText } from "../dom.js";
import { t } from "../i18n.js";

/** @typedef {{total: number, ends_at?: number | null, remaining?: number | null}} Timer */

/** Longest timer, in ms (the server's `max_timer_ms`). */
export const MAX_TIMER_MS = 86_400_000;
/** Shortest timer, in ms (the server's `MIN_TIMER_MS`). */
const MIN_TIMER_MS = 1000;
const MINUTE = 60_000;
/** How often a running clock is redrawn, in ms. */
const TICK_MS = 250;

/** Milliseconds left on a timer at `now`, server time (never below 0). @param {Timer} timer @param {number} now */
export function remaining(timer, now) {
  if (typeof timer.ends_at === "number") return Math.max(0, timer.ends_at - now);
  return Math.max(0, timer.remaining ?? 0);
}

/** "m:ss", or "h:mm:ss" from an hour. @param {number} ms */
export function format(ms) {
  const seconds = Math.ceil(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The op that starts a timer of `minutes`. @param {number} minutes */
export function start(minutes) {
  const ms = Math.min(MAX_TIMER_MS, Math.max(MIN_TIMER_MS, Math.round(minutes * MINUTE)));
  return { kind: "timer", action: "start", ms };
}

/** Pause a running timer, resume a paused one. @param {Timer} timer */
export function pauseOrResume(timer) {
  return { kind: "timer", action: typeof timer.ends_at === "number" ? "pause" : "resume" };
}

/** One more minute, running or paused (and on a timer that has just ended). */
export function addMinute() {
  return { kind: "timer", action: "add", ms: MINUTE };
}

export function clear() {
  return { kind: "timer", action: "clear" };
}

/**
 * The clock over the board, for everyone. Hidden while no timer is set.
 * @param {any} ctx the board's feature context
 */
export function mountTimer(ctx) {
  const clock = el("div", { class: "fac-timer", role: "timer", "aria-label": t("dashboard.fac.timer"), hidden: true });
  const time = el("span", { class: "fac-timer-time" });
  const state = el("span", { class: "fac-timer-state" });
  clock.append(time, state);
  ctx.panels.prepend(clock);
  /** The `ends_at` whose end was already announced, so it is said once. */
  let announced = null;
  let ticking = 0;
  /** The server's clock minus this device's, in ms, from the last time the server said. */
  let offset = 0;
  const serverNow = () => Date.now() + offset;
  const learn = (/** @type {any} */ now) => {
    if (typeof now === "number" && Number.isFinite(now)) offset = now - Date.now();
  };

  function draw() {
    const timer = ctx.settings().timer;
    clock.hidden = !timer;
    if (!timer) {
      clearInterval(ticking);
      ticking = 0;
      return;
    }
    const left = remaining(timer, serverNow());
    const running = typeof timer.ends_at === "number";
    const ended = left === 0;
    setText(time, format(left));
    setText(state, ended ? t("dashboard.fac.time_up") : running ? "" : t("dashboard.fac.paused"));
    clock.classList.toggle("is-ended", ended);
    clock.classList.toggle("is-paused", !running && !ended);
    if (ended && running && announced !== timer.ends_at) {
      announced = timer.ends_at;
      ctx.notify(t("dashboard.fac.time_up"));
    }
    if (running && !ended && !ticking) ticking = window.setInterval(draw, TICK_MS);
    if ((!running || ended) && ticking) {
      clearInterval(ticking);
      ticking = 0;
    }
  }

  ctx.events.addEventListener("settings", draw);
  ctx.events.addEventListener("welcome", (/** @type {CustomEvent} */ event) => {
    learn(event.detail?.now);
    draw();
  });
  ctx.events.addEventListener("notice", (/** @type {CustomEvent} */ event) => {
    if (event.detail?.kind !== "clock") return;
    learn(event.detail.now);
    draw();
  });
  draw();
}
