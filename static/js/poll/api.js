// The exit poll's HTTP API (docs/protocol.md, "The exit poll"). Every call answers
// {ok, status, data} or {ok: false, status, error: {code, field, message}}; a network failure is
// {ok: false, status: 0, error: {code: "offline"}}. Cookies carry who is asking.

/**
 * @typedef {{word: string, count: number}} WordCount
 * @typedef {{id: string, text: string}} Answer
 * @typedef {{
 *   open: boolean, words: number, question: {en: string, cy: string}, version: string,
 *   cloud: string, answers: number, counts: WordCount[], mine?: Answer[], role?: string,
 *   hidden?: WordCount[], blocked?: {answers: number, words: WordCount[]}
 * }} Poll
 * @typedef {{ok: boolean, status: number, data?: any, error?: {code: string, field?: string, message?: string}}} Reply
 */

/** @param {string} workshop */
const base = (workshop) => `/api/workshops/${encodeURIComponent(workshop)}/poll`;

/**
 * @param {string} url
 * @param {RequestInit} [init]
 * @returns {Promise<Reply>}
 */
async function call(url, init = {}) {
  let response;
  try {
    response = await fetch(url, {
      credentials: "same-origin",
      ...init,
      headers: init.body ? { "Content-Type": "application/json" } : {},
    });
  } catch {
    return { ok: false, status: 0, error: { code: "offline" } };
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return { ok: true, status: response.status, data };
  return { ok: false, status: response.status, error: data?.error ?? { code: "offline" } };
}

/** The poll now; with `after`, once its version is no longer that (a long poll). */
export function fetchPoll(/** @type {string} */ workshop, /** @type {string | undefined} */ after = undefined) {
  return call(after ? `${base(workshop)}?after=${encodeURIComponent(after)}` : base(workshop));
}

/** Add an answer, given on board number `board` (left out on the poll's own page); `id` makes a resend harmless. */
export function addAnswer(/** @type {string} */ workshop, /** @type {string} */ text, /** @type {string} */ id, /** @type {number | undefined} */ board = undefined) {
  return call(`${base(workshop)}/entries`, { method: "POST", body: JSON.stringify({ text, id, board }) });
}

/** Withdraw one of your answers. */
export function withdrawAnswer(/** @type {string} */ workshop, /** @type {string} */ id) {
  return call(`${base(workshop)}/entries/${encodeURIComponent(id)}`, { method: "DELETE" });
}

/** Facilitators: open or close, set the word limit or the question. */
export function configure(/** @type {string} */ workshop, /** @type {object} */ changes) {
  return call(base(workshop), { method: "PUT", body: JSON.stringify(changes) });
}

/** Facilitators: hide a word from the cloud, or show it again. */
export function hideWord(/** @type {string} */ workshop, /** @type {string} */ word, /** @type {boolean} */ hidden) {
  return call(`${base(workshop)}/hidden`, { method: "PUT", body: JSON.stringify({ word, hidden }) });
}

/** Where the cloud's picture is, for a version and a language. */
export function cloudUrl(/** @type {string} */ workshop, /** @type {string} */ version, /** @type {string} */ lang, kind = "svg") {
  return `${base(workshop)}/cloud.${kind}?v=${encodeURIComponent(version)}&lang=${encodeURIComponent(lang)}`;
}

/** Facilitators' downloads. */
export function downloadUrl(/** @type {string} */ workshop, /** @type {"svg" | "png" | "csv"} */ kind) {
  return kind === "csv" ? `${base(workshop)}/counts.csv` : `${base(workshop)}/cloud.${kind}?download=1`;
}

/** A fresh id for an answer (kept for resending after a lost reply). */
export function newAnswerId() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return "pw" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
