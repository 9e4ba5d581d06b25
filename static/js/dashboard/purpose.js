// The Purpose panel (issue 10): the statement people read before they join, in English and
// Welsh, who will see the record and who to ask; each change is a new version (people who
// joined earlier read the earlier one, and the record lists them all). Below it, how long the
// workshop is kept and until when withdrawal codes work. Every answer of the purpose API is
// announced on `loop` ("purpose"), for the Record panel's count of withdrawn items.
import { el, setText } from "../dom.js";
import { language, t } from "../i18n.js";
import { call, onSubmit, say } from "./api.js";

const DAY_MS = 86_400_000;
/** The furthest keep-until date the server takes, in days from today (board/services/retention.py). */
const MAX_KEEP_DAYS = 3660;

/** Dates as people here write them: "19 March 2027", "19 Mawrth 2027". */
const locale = () => (language() === "cy" ? "cy" : "en-GB");

/** `YYYY-MM-DD` as people write it, in the page's language. @param {string} day */
export function longDate(day) {
  const format = new Intl.DateTimeFormat(locale(), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  return format.format(new Date(`${day}T00:00:00Z`));
}

/** A moment (ISO, UTC) as people read it. @param {string} when */
function longTime(when) {
  const format = new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });
  return `${format.format(new Date(when))} UTC`;
}

/** @param {Document} doc @param {any} config @param {EventTarget} loop */
export function mountPurposePanel(doc, config, loop) {
  const url = `/api/workshops/${config.workshop.id}/`;
  const $ = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  const status = $("purpose-status");
  /** Show an answer of the purpose API. @type {Show} */
  const show = (data, form = true) => {
    statement.show(data, form);
    keeping.show(data);
    loop.dispatchEvent(new CustomEvent("purpose", { detail: data }));
  };
  const statement = mountStatement($, url, status, show);
  const keeping = mountKeeping($, url, show);
  return call("GET", `${url}purpose`).then(show, (error) => say(status, t("dashboard.failed", { reason: error.message }), true));
}

/** @typedef {(data: any, form?: boolean) => void} Show an answer of the purpose API; `form` refills the form too */

/**
 * The statement, who will see the record and who to ask, and its earlier versions.
 * @param {(id: string) => any} $ @param {string} url @param {HTMLElement} status @param {Show} shown
 */
function mountStatement($, url, status, shown) {
  const fields = {
    en: /** @type {HTMLTextAreaElement} */ ($("purpose-en")),
    cy: /** @type {HTMLTextAreaElement} */ ($("purpose-cy")),
    audienceEn: /** @type {HTMLTextAreaElement} */ ($("audience-en")),
    audienceCy: /** @type {HTMLTextAreaElement} */ ($("audience-cy")),
    contact: /** @type {HTMLInputElement} */ ($("purpose-contact")),
  };
  // While nobody is named to ask (a shipped template leaves it for you), say so beside the field.
  const noContact = el("p", { id: "purpose-contact-missing", class: "outcome problem", role: "status", hidden: "" }, t("dashboard.why.contact_missing"));
  fields.contact.after(noContact);

  onSubmit($("purpose-form"), $("purpose-save"), async () => {
    if (!fields.en.value.trim()) {
      say(status, t("dashboard.why.needs_english"), true);
      fields.en.focus();
      return;
    }
    const before = $("purpose-version-list").querySelectorAll("li").length;
    const data = await call("PUT", `${url}purpose`, {
      statement: { en: fields.en.value, cy: fields.cy.value },
      audience: { en: fields.audienceEn.value, cy: fields.audienceCy.value },
      contact: fields.contact.value,
    });
    shown(data);
    const changed = data.versions.length > before;
    say(status, changed ? t("dashboard.why.saved", { number: data.purpose.version }) : t("dashboard.why.unchanged"));
  }, status);

  return {
    /** @type {Show} */
    show(data, form = true) {
      const current = data.purpose;
      if (form && current) {
        fields.en.value = current.statement.en ?? "";
        fields.cy.value = current.statement.cy ?? "";
        fields.audienceEn.value = current.audience?.en ?? "";
        fields.audienceCy.value = current.audience?.cy ?? "";
        fields.contact.value = current.contact ?? "";
      }
      noContact.hidden = Boolean(current?.contact?.trim());
      $("purpose-versions").hidden = data.versions.length === 0;
      setText($("purpose-versions-title"), t("dashboard.why.versions", { count: data.versions.length }));
      $("purpose-version-list").replaceChildren(...[...data.versions].reverse().map(versionItem));
    },
  };
}

/** One earlier statement, when it was given and its words. @param {any} version */
function versionItem(version) {
  const item = el("li", { value: version.version });
  item.append(
    el("p", { class: "version-when" }, t("dashboard.why.version", { number: version.version, since: longTime(version.since) })),
    el("p", { lang: "en" }, version.statement.en),
    ...(version.statement.cy ? [el("p", { lang: "cy" }, version.statement.cy)] : []),
  );
  return item;
}

/**
 * How long the workshop is kept, and until when withdrawal codes work.
 * @param {(id: string) => any} $ @param {string} url @param {Show} shown
 */
function mountKeeping($, url, shown) {
  const keepUntil = /** @type {HTMLInputElement} */ ($("keep-until"));
  const withdrawUntil = /** @type {HTMLInputElement} */ ($("withdraw-until"));
  const keepStatus = $("keep-status");
  const today = new Date().toISOString().slice(0, 10);
  keepUntil.min = today;
  const furthest = new Date(Date.now() + MAX_KEEP_DAYS * DAY_MS).toISOString().slice(0, 10);
  keepUntil.max = furthest;
  withdrawUntil.min = today;

  onSubmit($("keep-form"), $("keep-save"), async () => {
    const data = await call("PUT", `${url}retention`, { keep_until: keepUntil.value, withdraw_until: withdrawUntil.value || null });
    shown(data, false);
    say(keepStatus, t("dashboard.keep.saved"));
  }, keepStatus);

  return {
    /** @param {any} data */
    show(data) {
      // Once people have joined, never later than the earliest date they were told (the server refuses it too).
      keepUntil.max = data.promised_until && data.promised_until < furthest ? data.promised_until : furthest;
      if (data.keep_until) {
        keepUntil.value = data.keep_until;
        withdrawUntil.max = data.keep_until;
        const until = data.withdraw_until ?? data.keep_until;
        setText($("keep-now"), t("dashboard.keep.now", { keep: longDate(data.keep_until), withdraw: longDate(until) }));
      }
      withdrawUntil.value = data.withdraw_until ?? "";
    },
  };
}
