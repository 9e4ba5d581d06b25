// The facilitator link carries the key after '#' (never sent to the server by the browser):
// exchange it once for a session cookie, drop it from the address bar, go to the dashboard.
import { t } from "../i18n.js";

/** @param {Document} doc @param {{workshop: string, board: string}} config */
export async function mountFacilitate(doc, config) {
  const status = doc.getElementById("status");
  const form = doc.getElementById("key-form");
  const key = new URLSearchParams(location.hash.slice(1)).get("key");
  history.replaceState(null, "", location.pathname);

  async function exchange(secret) {
    const response = await fetch(`/api/workshops/${config.workshop}/facilitate`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ key: secret }),
    });
    if (response.ok) {
      location.assign(`/w/${config.workshop}/dashboard`);
      return;
    }
    // The key was refused: one plain sentence in the reader's language, whatever the reason.
    status.textContent = t("facilitate.key_failed");
    form.hidden = false;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    exchange(form.elements.namedItem("key").value.trim());
  });
  if (key) {
    await exchange(key);
  } else {
    status.textContent = t("facilitate.paste_key");
    form.hidden = false;
  }
}
