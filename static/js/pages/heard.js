// "What we heard": the page is complete without script; this only adds a "copy the link"
// button where the browser lets a page write to the clipboard.
import { setText } from "../dom.js";
import { t } from "../i18n.js";

/** @param {Document} doc @param {{url: string}} config */
export function mountHeard(doc, config) {
  const button = doc.getElementById("copy-link");
  const status = doc.getElementById("copy-status");
  if (!button || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(config.url);
      setText(status, t("heard.copied"));
    } catch {
      setText(status, "");
    }
  });
}
