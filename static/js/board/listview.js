// The board's notes as a list: the alternative to the canvas for screen readers, keyboards,
// small screens and anyone who would rather read than pan (issue 8). A toggle in the top bar
// (or L on the board) swaps the canvas for a list of every note this person can see, grouped
// by frame or by category, in reading order; each note can be edited, voted for and
// commented on from the list, and "Show on the board" goes back to it on the canvas. It is
// also the way to the notes when zoomed out below 30 %, where the canvas paints the whole
// board as one picture and has no note to Tab to: a notice on the canvas says so and opens
// the list.
//
// The list follows the board live and is reconciled by note id, so focus and a half-written
// edit survive changes arriving from others. User text goes in through textContent only.

import { el, setText } from "../dom.js";
import { t, tn } from "../i18n.js";
import { create as createOp, newId } from "../protocol.js";
import { colourName } from "./items.js";
import { addForm, editForm } from "./listedit.js";
import { byCategory, byFrame } from "./listgroups.js";

/** @typedef {import("./main.js").Board} Board */

const STORAGE = "board-list-view";

/**
 * @param {Board} board
 * @param {{place: (x: number, y: number) => [number, number]}} options `place`: a free spot for a new note near a point
 */
export function mountListView(board, { place }) {
  const main = /** @type {HTMLElement} */ (board.canvas.parentElement);
  const categories = board.config.categories ?? {};
  const hasCategories = Object.keys(categories).length > 0;

  // -- the toggle, in the top bar beside Help --------------------------------------------
  const toggle = el("button", { type: "button", id: "list-toggle", class: "list-toggle", "aria-pressed": "false", "aria-controls": "list-view", "aria-keyshortcuts": "L" }, t("listview.toggle"));
  document.getElementById("help-button")?.before(toggle);

  // -- the list ---------------------------------------------------------------------------
  const section = el("section", { id: "list-view", class: "list-view", "aria-labelledby": "list-title", hidden: true });
  const heading = el("h2", { id: "list-title", tabindex: "-1" });
  const count = el("p", { class: "list-count" });
  const head = el("div", { class: "list-head" });
  head.append(heading, count);
  /** @type {"frame" | "category"} */
  let grouping = "frame";
  if (hasCategories) {
    const choice = el("fieldset", { class: "list-grouping" });
    choice.append(el("legend", {}, t("listview.group_by")));
    for (const [value, label] of [["frame", t("listview.by_frame")], ["category", t("listview.by_category")]]) {
      const input = el("input", { type: "radio", name: "list-grouping", id: `list-by-${value}`, value, checked: value === grouping });
      input.addEventListener("change", () => {
        grouping = /** @type {"frame" | "category"} */ (value);
        render();
      });
      const option = el("span", { class: "list-option" });
      option.append(input, el("label", { for: `list-by-${value}` }, label));
      choice.append(option);
    }
    head.append(choice);
  }
  const adder = addForm(board, place);
  const groupsNode = el("div", { class: "list-groups" });
  const empty = el("p", { class: "list-empty", hidden: true }, t("listview.empty"));
  section.append(head, adder, empty, groupsNode);
  board.canvas.after(section);

  // -- zoomed out: the canvas is a picture; say so, and offer the list ----------------------
  const far = el("div", { id: "far-notice", class: "far-notice", hidden: true });
  const farText = el("p", { id: "far-text" }, t("listview.far"));
  const farButton = el("button", { type: "button" }, t("listview.far_button"));
  farButton.addEventListener("click", () => open(true));
  far.append(farText, farButton);
  board.canvas.after(far);
  const hint = board.canvas.getAttribute("aria-describedby") ?? "";
  board.renderer.addEventListener("distance", (event) => {
    const distant = /** @type {CustomEvent} */ (event).detail.far;
    far.hidden = !distant;
    board.canvas.setAttribute("aria-describedby", distant ? `${hint} far-text`.trim() : hint);
  });

  /** @type {Map<string, HTMLElement>} note id -> its list item */
  const items = new Map();
  /** @type {Map<string, HTMLElement>} group key -> its section */
  const groupNodes = new Map();
  /** The note whose comment button opened the thread, to come back to when it closes. */
  /** @type {string | null} */
  let returnTo = null;
  let frame = 0;

  function isOpen() {
    return !section.hidden;
  }

  /** Show or hide the list; focus its heading when the person asked. @param {boolean} show */
  function open(show, focus = true) {
    section.hidden = !show;
    main.classList.toggle("listing", show);
    toggle.setAttribute("aria-pressed", String(show));
    try {
      sessionStorage.setItem(STORAGE, show ? "1" : "");
    } catch {
      // Storage refused: the choice lasts for this page only.
    }
    if (show) {
      board.editor.commit(false);
      render();
      if (focus) heading.focus();
    } else if (focus) {
      board.canvas.focus();
    }
  }

  toggle.addEventListener("click", () => open(!isOpen()));
  board.canvas.addEventListener("keydown", (e) => {
    const typingHere = /** @type {Element} */ (e.target).closest?.("textarea, input");
    if ((e.key === "l" || e.key === "L") && !e.ctrlKey && !e.metaKey && !e.altKey && !e.defaultPrevented && !typingHere) {
      e.preventDefault();
      open(true);
    }
  });
  // Single-letter board shortcuts never fire from inside the list (it has buttons and boxes
  // of its own); Ctrl+Z and Ctrl+Y still undo and redo.
  section.addEventListener("keydown", (e) => {
    if (!e.ctrlKey && !e.metaKey) e.stopPropagation();
  });

  const schedule = () => {
    if (!isOpen() || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      render();
    });
  };
  board.replica.addEventListener("objects", schedule);
  board.replica.addEventListener("settings", schedule);

  // A comment thread opened from the list closes back onto the button that opened it.
  new MutationObserver(() => {
    if (!board.comments.panel.hidden || returnTo === null) return;
    const button = /** @type {HTMLElement | null} */ (items.get(returnTo)?.querySelector("[data-action='comments'], [data-action='comment']") ?? null);
    returnTo = null;
    if (isOpen() && (document.activeElement === document.body || !document.activeElement)) button?.focus();
  }).observe(board.comments.panel, { attributes: true, attributeFilter: ["hidden"] });

  // -- drawing --------------------------------------------------------------------------------

  function render() {
    const objects = [...board.replica.view.values()];
    const notes = objects.filter((obj) => obj.type === "note");
    setText(heading, t("listview.title"));
    setText(count, tn("listview.count", notes.length));
    adder.hidden = !board.canEdit();
    empty.hidden = notes.length > 0;
    const frameTitle = (/** @type {any} */ f) => f.title || t("board.frame.untitled");
    const groups = grouping === "category" && hasCategories ? byCategory(objects, categories) : byFrame(objects, frameTitle, categories);
    const threads = threadsByTarget(objects);
    const seen = new Set();
    const keep = new Set();
    let previous = null;
    for (const group of groups) {
      keep.add(group.key);
      let node = groupNodes.get(group.key);
      if (!node) {
        node = el("section", { class: "list-group", "aria-labelledby": `lg-${cssId(group.key)}` });
        node.append(el("h3", { id: `lg-${cssId(group.key)}` }), el("ul", { class: "list-notes" }));
        groupNodes.set(group.key, node);
      }
      setText(/** @type {HTMLElement} */ (node.firstElementChild), groupTitle(group));
      node.dataset.kind = group.kind;
      const list = /** @type {HTMLElement} */ (node.lastElementChild);
      let cursor = list.firstElementChild;
      for (const note of group.notes) {
        seen.add(note.id);
        let item = items.get(note.id);
        if (!item) {
          item = el("li", { class: "list-note", "data-id": note.id });
          items.set(note.id, item);
        }
        drawNote(item, note, threads.get(note.id) ?? []);
        if (item !== cursor) list.insertBefore(item, cursor);
        else cursor = cursor.nextElementSibling;
      }
      if (!group.notes.length) {
        if (!list.querySelector(".list-none")) list.append(el("li", { class: "list-none" }, t("listview.frame_empty")));
      } else {
        list.querySelector(".list-none")?.remove();
      }
      const place = previous ? previous.nextElementSibling : groupsNode.firstElementChild;
      if (node !== place) groupsNode.insertBefore(node, place);
      previous = node;
    }
    for (const [id, item] of items) {
      if (!seen.has(id)) {
        item.remove();
        items.delete(id);
      }
    }
    for (const [key, node] of groupNodes) {
      if (!keep.has(key)) {
        node.remove();
        groupNodes.delete(key);
      }
    }
  }

  /** @param {import("./listgroups.js").Group} group */
  function groupTitle(group) {
    const size = tn("listview.count", group.notes.length);
    if (group.kind === "loose") return t("listview.group_loose", { count: size });
    if (group.kind === "unsorted") return t("listview.group_unsorted", { count: size });
    if (group.kind === "all") return t("listview.group_all", { count: size });
    if (group.kind === "frame" && group.category && group.category !== group.title) {
      return t("listview.group_frame_category", { title: group.title, category: group.category, count: size });
    }
    return t("listview.group", { title: group.title, count: size });
  }

  /** Bring one note's entry up to date; an entry being edited keeps its box. @param {HTMLElement} item @param {any} note @param {any[]} threads */
  function drawNote(item, note, threads) {
    if (item.querySelector("textarea")) return;
    const textId = `ln-${note.id}`;
    const votes = board.renderer.voteCounts.get(note.id) ?? 0;
    const key = JSON.stringify([note.text, note.color, note.private, note.hidden, votes, threads.length, board.canEdit(), voteState(note.id)]);
    if (item.dataset.drawn === key) return;
    item.dataset.drawn = key;
    item.dataset.color = note.color;
    const focused = item.contains(document.activeElement) ? /** @type {HTMLElement} */ (document.activeElement).dataset.action : null;
    const text = el("p", { class: "list-note-text", id: textId }, note.text || t("listview.empty_note"));
    const meta = el("p", { class: "list-note-meta" });
    meta.append(el("span", { class: "list-colour", "data-color": note.color }, colourName(note.color)));
    if (votes) meta.append(el("span", {}, tn("board.votes", votes)));
    if (threads.length) meta.append(el("span", {}, tn("listview.comments", threads.reduce((sum, thread) => sum + thread.size, 0))));
    if (note.private) meta.append(el("span", { class: "tag" }, board.role === "facilitator" ? t("board.tag.private_other") : t("board.tag.private_mine")));
    if (note.hidden) meta.append(el("span", { class: "tag" }, t("board.tag.hidden")));
    const actions = el("div", { class: "list-actions", role: "group", "aria-labelledby": textId });
    const button = (/** @type {string} */ name, /** @type {string} */ label, /** @type {() => void} */ act) => {
      const node = el("button", { type: "button", "data-action": name, class: name === "show" ? "secondary" : "" }, label);
      node.addEventListener("click", act);
      actions.append(node);
      return node;
    };
    if (board.canEdit()) button("edit", t("listview.edit"), () => edit(item, note.id));
    const voting = voteState(note.id);
    if (voting) {
      const vote = /** @type {HTMLButtonElement} */ (button("vote", tn("dashboard.fac.vote", voting.left), () => castVote(note.id)));
      vote.disabled = voting.left === 0;
      if (voting.mine.length) button("unvote", t("dashboard.fac.unvote"), () => board.actions.send({ kind: "delete", id: voting.mine[voting.mine.length - 1].id }));
    }
    if (threads.length) {
      button("comments", t("listview.read_comments"), () => {
        returnTo = note.id;
        board.comments.show(threads[0].id);
      });
    } else if (board.canEdit()) {
      button("comment", t("listview.comment"), () => {
        returnTo = note.id;
        board.comments.start({ target: note.id });
      });
    }
    button("show", t("listview.show"), () => showOnBoard(note.id));
    item.replaceChildren(text, meta, actions);
    if (focused) /** @type {HTMLElement | null} */ (item.querySelector(`[data-action="${focused}"]`))?.focus();
  }

  /** Whether this person may vote for a note now, with how many votes left and theirs on it. @param {string} id */
  function voteState(id) {
    const settings = board.replica.settings;
    if (!settings.voting || settings.closed) return null;
    const mine = [...board.replica.view.values()].filter((obj) => obj.type === "vote" && board.replica.mine.has(obj.id));
    return { left: Math.max(0, settings.vote_budget - mine.length), mine: mine.filter((vote) => vote.target === id) };
  }

  /** @param {string} id */
  function castVote(id) {
    const vote = { type: "vote", id: newId(), target: id };
    board.replica.mine.add(vote.id);
    board.actions.send(createOp(/** @type {any} */ (vote)));
  }

  /** Edit a note's words in the list; focus comes back to its Edit button. @param {HTMLElement} item @param {string} id */
  function edit(item, id) {
    const form = editForm(board, id, () => {
      item.dataset.drawn = "";
      form?.remove();
      render();
      /** @type {HTMLElement | null} */ (items.get(id)?.querySelector('[data-action="edit"]'))?.focus();
    });
    if (!form) return;
    item.replaceChildren(form);
    /** @type {HTMLTextAreaElement} */ (form.querySelector("textarea")).focus();
  }

  /** Go back to the canvas, on this note, selected and focused. @param {string} id */
  function showOnBoard(id) {
    open(false, false);
    board.revealObject(id);
    board.selection.set([id]);
    board.renderer.element(id)?.focus();
  }

  let remembered = "";
  try {
    remembered = sessionStorage.getItem(STORAGE) ?? "";
  } catch {
    // No storage: the list starts closed.
  }
  if (remembered) open(true, false);
  return { open, isOpen };
}

/** Comment threads per object they are pinned on: root comments, each with its size. @param {any[]} objects */
function threadsByTarget(objects) {
  /** @type {Map<string, Array<{id: string, size: number}>>} */
  const threads = new Map();
  /** @type {Map<string, {id: string, size: number}>} */
  const roots = new Map();
  for (const obj of objects) {
    if (obj.type !== "comment" || obj.parent || !obj.target) continue;
    const thread = { id: obj.id, size: 1 };
    roots.set(obj.id, thread);
    threads.set(obj.target, [...(threads.get(obj.target) ?? []), thread]);
  }
  for (const obj of objects) {
    if (obj.type === "comment" && obj.parent) {
      const root = roots.get(obj.parent);
      if (root) root.size += 1;
    }
  }
  return threads;
}

/** A group key made safe for an id. @param {string} key */
function cssId(key) {
  return key.replace(/[^a-zA-Z0-9_-]/g, "_");
}
