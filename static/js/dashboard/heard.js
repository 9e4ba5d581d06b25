// The "What we heard" panel (issue 10): the facilitator writes what happens next, and by
// when (English and Welsh), previews the page (only facilitators see it before it is
// published), publishes it, and then has its link and QR code to show; it can be taken down
// again. The page itself is made from the record by the server (board/services/heard.py).
import { setText } from "../dom.js";
import { t } from "../i18n.js";
import { call, onPress, onSubmit, say } from "./api.js";

/** @param {Document} doc @param {any} config */
export function mountHeardPanel(doc, config) {
  const url = `/api/workshops/${config.workshop.id}/heard`;
  const $ = (/** @type {string} */ id) => /** @type {any} */ (doc.getElementById(id));
  const en = /** @type {HTMLTextAreaElement} */ ($("next-en"));
  const cy = /** @type {HTMLTextAreaElement} */ ($("next-cy"));
  const publish = /** @type {HTMLButtonElement} */ ($("heard-publish"));
  const status = $("heard-status");
  let published = false;

  /** @param {any} data */
  function show(data) {
    published = data.published;
    en.value = data.next_steps.en ?? "";
    cy.value = data.next_steps.cy ?? "";
    setText($("heard-state"), published ? t("dashboard.heard.is_published") : t("dashboard.heard.not_published"));
    setText(publish, published ? t("dashboard.heard.unpublish") : t("dashboard.heard.publish"));
    publish.className = published ? "secondary" : "";
    setText($("heard-preview"), published ? t("dashboard.heard.look") : t("dashboard.heard.preview"));
    const shown = $("heard-published");
    shown.hidden = !published;
    if (published) {
      $("heard-link").value = data.url;
      $("heard-open").href = data.url;
      // A new address each time it is shown, so a browser never keeps the 404 of before.
      $("heard-qr").src = `${data.qr}?at=${Date.now()}`;
    }
  }

  /** @param {boolean} publishing */
  async function save(publishing) {
    const data = await call("PUT", url, { published: publishing, next_steps: { en: en.value, cy: cy.value } });
    show(data);
    return data;
  }

  const saveButton = /** @type {HTMLButtonElement} */ ($("heard-save"));
  onSubmit($("heard-form"), saveButton, async () => {
    await save(published);
    say(status, published ? t("dashboard.heard.saved_live") : t("dashboard.heard.saved"));
  }, status);

  onPress(publish, async () => {
    const data = await save(!published);
    say(status, data.published ? t("dashboard.heard.published") : t("dashboard.heard.taken_down"));
    (data.published ? $("heard-link") : publish).focus();
  }, status);

  return call("GET", url).then(show, (error) => say(status, t("dashboard.failed", { reason: error.message }), true));
}
