// Small line icons for the toolbar, drawn as SVG paths (no icon font, no images to fetch).
// Each button also carries a visible word: an icon alone is a riddle for many people.

import { svg } from "../dom.js";

/** @type {Record<string, string>} 24x24 paths, stroked. */
const PATHS = {
  select: "M5 3l14 8-6 1.5L10 19z",
  note: "M4 4h16v11l-5 5H4z M15 20v-5h5",
  shape: "M3 14h8v7H3z M17 10a4 4 0 1 0 0-8a4 4 0 0 0 0 8z M14 21l3-6 3 6z",
  pen: "M4 20l1-4L16 5l3 3L8 19z M14 7l3 3",
  eraser: "M8 20h12 M4 16l9-9 6 6-7 7H8z M9 11l6 6",
  text: "M5 5h14 M12 5v14 M9 19h6",
  comment: "M4 5h16v11H9l-5 4z",
  undo: "M9 7L4 12l5 5 M4 12h11a5 5 0 0 1 0 10h-3",
  redo: "M15 7l5 5-5 5 M20 12H9a5 5 0 0 0 0 10h3",
  zoom_in: "M11 4a7 7 0 1 0 0 14a7 7 0 0 0 0-14z M16 16l5 5 M8 11h6 M11 8v6",
  zoom_out: "M11 4a7 7 0 1 0 0 14a7 7 0 0 0 0-14z M16 16l5 5 M8 11h6",
  fit: "M4 9V4h5 M15 4h5v5 M20 15v5h-5 M9 20H4v-5",
  list: "M9 6h11 M9 12h11 M9 18h11 M4 6a1 1 0 1 0 2 0a1 1 0 1 0-2 0 M4 12a1 1 0 1 0 2 0a1 1 0 1 0-2 0 M4 18a1 1 0 1 0 2 0a1 1 0 1 0-2 0",
  more: "M3.5 12a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0 M10.5 12a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0 M17.5 12a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0",
  help: "M12 3a9 9 0 1 0 0 18a9 9 0 0 0 0-18z M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14 M12 17v.5",
};

/** @param {string} name */
export function icon(name) {
  const node = svg("svg", { viewBox: "0 0 24 24", width: 22, height: 22, class: "icon", "aria-hidden": "true", focusable: "false" });
  node.append(svg("path", { d: PATHS[name] ?? "", fill: "none", stroke: "currentColor", "stroke-width": 1.8, "stroke-linecap": "round", "stroke-linejoin": "round" }));
  return node;
}
