// The gallery on a page of its own (/w/{id}/gallery), for facilitators: every breakout board
// live and readable (../gallery/view.js), a switch between pictures and lists, and "pull into
// the main board" (POST .../pull), which copies every board's notes into frames there.
import { mountGalleryView } from "../gallery/view.js";
import { onPull } from "../gallery/pull.js";

/** @param {Document} doc @param {any} config */
export function mountGalleryPage(doc, config) {
  const root = /** @type {HTMLElement} */ (doc.getElementById("gallery-view"));
  const view = mountGalleryView(root, { workshop: config.workshop.id, protocol: config.protocol, boards: config.boards, heading: "h2" });
  mountListSwitch(doc, root, view.redraw);
  mountPull(doc, config.workshop.id);
  return view.ready;
}

/** Pictures or lists: the lists are always there for screen readers; this shows them to all. */
function mountListSwitch(/** @type {Document} */ doc, /** @type {HTMLElement} */ root, /** @type {() => void} */ redraw) {
  const button = /** @type {HTMLButtonElement} */ (doc.getElementById("gallery-as-lists"));
  button.addEventListener("click", () => {
    const lists = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", String(lists));
    root.classList.toggle("as-lists", lists);
    // Back to pictures: notes drawn while they were hidden are fitted ("…") now they show.
    if (!lists) redraw();
  });
}

function mountPull(/** @type {Document} */ doc, /** @type {string} */ workshop) {
  const pull = /** @type {HTMLButtonElement} */ (doc.getElementById("gallery-pull"));
  onPull(pull, /** @type {HTMLElement} */ (doc.getElementById("gallery-pull-status")), workshop);
}
