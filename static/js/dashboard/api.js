// What every dashboard panel shares: calling the API (errors become an Error carrying the
// server's rule), saying an outcome in a status line, a text in the page's language, copy
// buttons, and a button that is switched off while its action runs.
import { setText } from "../dom.js";
import { t } from "../i18n.js";
import { errorText } from "../errors.js";

/** @typedef {{en: string, cy?: string | null}} Bilingual */

/**
 * JSON request to the API; resolves to the answer's data, or throws an Error whose message is
 * the refusal in the page's language (errors.js).
 * @param {string} method @param {string} path @param {any} [body] @param {Record<string, string>} [headers]
 */
export async function call(method, path, body, headers = {}) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error;
    const reason = errorText(error); // in the reader's language (errors.js)
    throw new Error(reason);
  }
  return data;
}

/** @param {Bilingual} text @param {string} lang */
export function pick(text, lang) {
  return (lang === "cy" ? text.cy : text.en) || text.en;
}

/** @param {HTMLElement} node @param {string} text @param {boolean} [problem] */
export function say(node, text, problem = false) {
  node.classList.toggle("problem", problem);
  setText(node, text);
}

/** Copy buttons: `data-copy` names the input whose value they copy. @param {Document} doc */
export function mountCopyButtons(doc) {
  for (const button of doc.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      const input = /** @type {HTMLInputElement} */ (doc.getElementById(button.getAttribute("data-copy") ?? ""));
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
        setText(button, t("dashboard.copied"));
        setTimeout(() => setText(button, t("dashboard.copy")), 2000);
      } catch {
        // No clipboard permission: the text is selected, ready for Ctrl+C.
      }
    });
  }
}

/**
 * Run `action` when the button is pressed, the button off meanwhile; a failure is said in
 * `status`. @param {HTMLButtonElement} button @param {() => Promise<void>} action @param {HTMLElement} status
 */
export function onPress(button, action, status) {
  button.addEventListener("click", () => busy(button, action, status));
}

/**
 * Run `action` when the form is sent (it stays on the page), its button off meanwhile; a
 * failure is said in `status`.
 * @param {HTMLFormElement} form @param {HTMLButtonElement} button @param {() => Promise<void>} action @param {HTMLElement} status
 */
export function onSubmit(form, button, action, status) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    return busy(button, action, status);
  });
}

/** @param {HTMLButtonElement} button @param {() => Promise<void>} action @param {HTMLElement} status */
async function busy(button, action, status) {
  button.disabled = true;
  try {
    await action();
  } catch (error) {
    say(status, t("dashboard.failed", { reason: /** @type {Error} */ (error).message }), true);
  } finally {
    button.disabled = false;
  }
}
