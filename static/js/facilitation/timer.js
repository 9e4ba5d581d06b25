// The timer everyone sees (the board's `timer` setting): a countdown drawn from each person's
// own clock, paused or running, with a clear end: the clock turns red, says "Time is up" and
// the end is announced to screen readers once. Facilitators set, pause, resume, add a minute
// and clear it from their panel (controls.js), through the functions below.
import { el, setText } from "../dom.js";
import { t } from "../i18n.js";

/** @typedef {{total: number, ends_at?: number | null, remaining?: number | null}} Timer */

/** Longest timer, in ms (the server's `max_timer_ms`). */
export const MAX_TIMER_MS = 86_400_000;
const MINUTE = 60_000;
/** How often a running clock is redrawn, in ms. */
const TICK_MS = 250;

/** Milliseconds left on a timer at `now` (never below 0). @param {Timer} timer @param {number} now */
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

/** The settings change that starts a timer of `minutes`. @param {number} minutes @param {number} now */
export function start(minutes, now) {
  const total = Math.min(MAX_TIMER_MS, Math.max(1000, Math.round(minutes * MINUTE)));
  return { timer: { total, ends_at: now + total } };
}

/** @param {Timer} timer @param {number} now */
export function pause(timer, now) {
  return { timer: { total: timer.total, remaining: remaining(timer, now) } };
}

/** @param {Timer} timer @param {number} now */
export function resume(timer, now) {
  return { timer: { total: timer.total, ends_at: now + remaining(timer, now) } };
}

/** One more minute, running or paused (and on a timer that has just ended). @param {Timer} timer @param {number} now */
export function addMinute(timer, now) {
  const left = Math.min(MAX_TIMER_MS, remaining(timer, now) + MINUTE);
  const total = Math.min(MAX_TIMER_MS, Math.max(timer.total, left));
  return typeof timer.ends_at === "number" ? { timer: { total, ends_at: now + left } } : { timer: { total, remaining: left } };
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

  function draw() {
    const timer = ctx.settings().timer;
    clock.hidden = !timer;
    if (!timer) {
      clearInterval(ticking);
      ticking = 0;
      return;
    }
    const left = remaining(timer, Date.now());
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
  ctx.events.addEventListener("welcome", draw);
  draw();
}
