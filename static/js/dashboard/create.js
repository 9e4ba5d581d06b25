// Starting a workshop (/new): blank or from a template, its title, breakout boards and the
// boards' language; then the facilitator key, shown once, and the way to the dashboard.
import { el } from "../dom.js";
import { t } from "../i18n.js";
import { call, mountCopyButtons, pick, say } from "./api.js";

/** @param {Document} doc @param {any} config */
export function mountCreate(doc, config) {
  const form = /** @type {HTMLFormElement} */ (doc.getElementById("create-form"));
  const choices = /** @type {HTMLElement} */ (doc.getElementById("template-choices"));
  const breakouts = /** @type {HTMLInputElement} */ (doc.getElementById("breakouts"));
  const status = /** @type {HTMLElement} */ (doc.getElementById("create-status"));
  const button = /** @type {HTMLButtonElement} */ (doc.getElementById("create"));
  const lang = config.lang ?? "en";
  /** @type {Map<string, any>} */
  const plans = new Map();

  for (const plan of config.templates ?? []) {
    plans.set(plan.key, plan);
    const id = `template-${plan.key}`;
    const minutes = plan.agenda.reduce((sum, step) => sum + step.minutes, 0);
    const hint = el("p", { class: "hint", id: `${id}-hint` }, pick(plan.purpose, lang));
    const steps = el("p", { class: "hint" }, t("dashboard.steps", { count: plan.agenda.length, minutes }));
    const choice = el("div", { class: "choice" });
    const only = oneLanguage(plan);
    choice.append(
      el("input", { type: "radio", name: "template", id, value: plan.key, "aria-describedby": only ? `${id}-hint ${id}-languages` : `${id}-hint` }),
      el("label", { for: id }, pick(plan.title, lang)),
      hint,
      steps,
    );
    if (only) choice.append(el("p", { class: "hint template-languages", id: `${id}-languages` }, only));
    choices.append(choice);
  }

  form.addEventListener("change", (event) => {
    const target = /** @type {HTMLInputElement} */ (event.target);
    if (target.name !== "template") return;
    const plan = plans.get(target.value);
    breakouts.value = String(plan ? plan.breakouts : 0);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const key = String(data.get("template") ?? "");
    const title = String(data.get("title") ?? "").trim();
    const count = Number(breakouts.value || 0);
    const admin = String(data.get("admin") ?? "");
    const headers = admin ? { Authorization: `Bearer ${admin}` } : {};
    button.disabled = true;
    say(status, t("dashboard.creating"));
    try {
      const created = key
        ? await call("POST", `/api/templates/${encodeURIComponent(key)}/workshops`, {
            ...(title ? { title } : {}),
            lang: String(data.get("lang") ?? "en"),
            breakouts: count,
          }, headers)
        : await call("POST", "/api/workshops", { title, breakouts: count }, headers);
      showCreated(doc, created);
    } catch (error) {
      say(status, t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
      button.disabled = false;
    }
  });
  mountCopyButtons(doc);
}

/**
 * What a template in one language tells the facilitator: the people reading the other language
 * will see its prompts untranslated. Empty for a template in English and Welsh.
 * @param {{languages?: string[]}} plan @returns {string}
 */
function oneLanguage(plan) {
  const languages = plan.languages ?? ["en", "cy"];
  if (languages.length !== 1) return "";
  return t(languages[0] === "cy" ? "dashboard.template_only_cy" : "dashboard.template_only_en");
}

/** @param {Document} doc @param {any} created */
function showCreated(doc, created) {
  const form = /** @type {HTMLElement} */ (doc.getElementById("create-form"));
  const done = /** @type {HTMLElement} */ (doc.getElementById("created"));
  form.hidden = true;
  done.hidden = false;
  /** @type {HTMLInputElement} */ (doc.getElementById("created-key")).value = created.facilitator_key;
  /** @type {HTMLAnchorElement} */ (doc.getElementById("created-dashboard")).href = `/w/${created.id}/dashboard`;
  /** @type {HTMLElement} */ (doc.getElementById("created-title")).focus();
}

