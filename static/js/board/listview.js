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
import { icon } from "./icons.js";
import { colourName } from "./items.js";
import { addForm, editForm } from "./listedit.js";
import { byCategory, byFrame } from "./listgroups.js";

/**
 * What the list view uses of the board (its forms' needs included, listedit.js), and nothing else.
 * @typedef {object} ListViewBoard
 * @property {{categories?: Record<string, string>}} config the workshop's categories, to group by
 * @property {string} role how a private note is tagged
 * @property {Record<string, number>} limits for the forms (listedit.js)
 * @property {HTMLElement} canvas the list takes its place; L there opens the list
 * @property {import("./replica.js").Replica} replica the notes, followed live
 * @property {import("./render.js").Renderer} renderer vote counts, distance, the note's element
 * @property {import("./selection.js").Selection} selection "Show on the board" selects the note
 * @property {import("./viewport.js").Viewport} viewport a note added from the list goes near the middle of the view
 * @property {import("./actions.js").Actions} actions votes, edits and new notes
 * @property {import("./editor.js").Editor} editor an edit on the canvas is committed when the list opens
 * @property {import("./comments.js").Comments} comments threads read and started from the list
 * @property {import("./choices.js").Choices} choices the colour new notes get
 * @property {() => boolean} canEdit whether this person may change the board now
 * @property {(id: string) => void} revealObject brings a note into view on the canvas
 * @property {(text: string, kind?: "info" | "error") => void} notify says what was saved, or why not
 * @property {(v: number) => number} clampCoord keeps a coordinate within the board's limit
 */

const STORAGE = "board-list-view";

/**
 * @param {ListViewBoard} board
 * @param {{place: (x: number, y: number) => [number, number]}} options `place`: a free spot for a new note near a point
 */
export function mountListView(board, { place }) {
  const view = new ListView(board, place);
  view.restore();
  return { open: view.open.bind(view), isOpen: view.isOpen.bind(view) };
}

/** The list, its toggle and the far-out notice; kept in step with the board while open. */
class ListView {
  /** @param {ListViewBoard} board @param {(x: number, y: number) => [number, number]} place */
  constructor(board, place) {
    this.board = board;
    this.main = /** @type {HTMLElement} */ (board.canvas.parentElement);
    this.categories = board.config.categories ?? {};
    this.hasCategories = Object.keys(this.categories).length > 0;
    /** @type {"frame" | "category"} */
    this.grouping = "frame";
    /** @type {Map<string, HTMLElement>} note id -> its list item */
    this.items = new Map();
    /** @type {Map<string, HTMLElement>} group key -> its section */
    this.groupNodes = new Map();
    /** The note whose comment button opened the thread, to come back to when it closes. */
    /** @type {string | null} */
    this.returnTo = null;
    this.frame = 0;

    // -- the toggle, in the top bar beside Help --------------------------------------------
    this.toggle = el("button", { type: "button", id: "list-toggle", class: "list-toggle", "aria-pressed": "false", "aria-controls": "list-view", "aria-keyshortcuts": "L" });
    this.toggle.append(icon("list"), el("span", { class: "button-word" }, t("listview.toggle")));
    document.getElementById("help-button")?.before(this.toggle);

    // -- the list ---------------------------------------------------------------------------
    this.section = el("section", { id: "list-view", class: "list-view", "aria-labelledby": "list-title", hidden: true });
    this.heading = el("h2", { id: "list-title", tabindex: "-1" });
    this.count = el("p", { class: "list-count" });
    this.adder = addForm(board, place);
    this.groupsNode = el("div", { class: "list-groups" });
    this.empty = el("p", { class: "list-empty", hidden: true }, t("listview.empty"));
    this.section.append(this.head(), this.adder, this.empty, this.groupsNode);
    board.canvas.after(this.section);
    this.mountFarNotice();
    this.listen();
  }

  /** The list's title and count, and the choice of grouping when the board has categories. */
  head() {
    const head = el("div", { class: "list-head" });
    head.append(this.heading, this.count);
    if (!this.hasCategories) return head;
    const choice = el("fieldset", { class: "list-grouping" });
    choice.append(el("legend", {}, t("listview.group_by")));
    for (const [value, label] of [["frame", t("listview.by_frame")], ["category", t("listview.by_category")]]) {
      const input = el("input", { type: "radio", name: "list-grouping", id: `list-by-${value}`, value, checked: value === this.grouping });
      input.addEventListener("change", () => {
        this.grouping = /** @type {"frame" | "category"} */ (value);
        this.render();
      });
      const option = el("span", { class: "list-option" });
      option.append(input, el("label", { for: `list-by-${value}` }, label));
      choice.append(option);
    }
    head.append(choice);
    return head;
  }

  /** Zoomed out the canvas is a picture: say so, and offer the list. */
  mountFarNotice() {
    const { canvas, renderer } = this.board;
    const far = el("div", { id: "far-notice", class: "far-notice", hidden: true });
    const farText = el("p", { id: "far-text" }, t("listview.far"));
    const farButton = el("button", { type: "button" }, t("listview.far_button"));
    farButton.addEventListener("click", () => this.open(true));
    far.append(farText, farButton);
    canvas.after(far);
    const hint = canvas.getAttribute("aria-describedby") ?? "";
    renderer.addEventListener("distance", (event) => {
      const distant = /** @type {CustomEvent} */ (event).detail.far;
      far.hidden = !distant;
      canvas.setAttribute("aria-describedby", distant ? `${hint} far-text`.trim() : hint);
    });
  }

  /** The toggle and L open the list; changes to the board redraw it while open. */
  listen() {
    const { canvas, replica, comments } = this.board;
    this.toggle.addEventListener("click", () => this.open(!this.isOpen()));
    canvas.addEventListener("keydown", (e) => {
      const typingHere = /** @type {Element} */ (e.target).closest?.("textarea, input");
      if ((e.key === "l" || e.key === "L") && !e.ctrlKey && !e.metaKey && !e.altKey && !e.defaultPrevented && !typingHere) {
        e.preventDefault();
        this.open(true);
      }
    });
    // Single-letter board shortcuts never fire from inside the list (it has buttons and boxes
    // of its own); Ctrl+Z and Ctrl+Y still undo and redo.
    this.section.addEventListener("keydown", (e) => {
      if (!e.ctrlKey && !e.metaKey) e.stopPropagation();
    });
    const schedule = () => {
      if (!this.isOpen() || this.frame) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    };
    replica.addEventListener("objects", schedule);
    replica.addEventListener("settings", schedule);
    // A comment thread opened from the list closes back onto the button that opened it.
    new MutationObserver(() => {
      if (!comments.panel.hidden || this.returnTo === null) return;
      const button = /** @type {HTMLElement | null} */ (this.items.get(this.returnTo)?.querySelector("[data-action='comments'], [data-action='comment']") ?? null);
      this.returnTo = null;
      if (this.isOpen() && (document.activeElement === document.body || !document.activeElement)) button?.focus();
    }).observe(comments.panel, { attributes: true, attributeFilter: ["hidden"] });
  }

  /** The list opens as it was left in this tab. */
  restore() {
    let remembered = "";
    try {
      remembered = sessionStorage.getItem(STORAGE) ?? "";
    } catch {
      // No storage: the list starts closed.
    }
    if (remembered) this.open(true, false);
  }

  isOpen() {
    return !this.section.hidden;
  }

  /** Show or hide the list; focus its heading when the person asked. @param {boolean} show */
  open(show, focus = true) {
    this.section.hidden = !show;
    this.main.classList.toggle("listing", show);
    this.toggle.setAttribute("aria-pressed", String(show));
    try {
      sessionStorage.setItem(STORAGE, show ? "1" : "");
    } catch {
      // Storage refused: the choice lasts for this page only.
    }
    if (show) {
      this.board.editor.commit(false);
      this.render();
      if (focus) this.heading.focus();
    } else if (focus) {
      this.board.canvas.focus();
    }
  }

  // -- drawing --------------------------------------------------------------------------------

  render() {
    const { board, categories } = this;
    const objects = [...board.replica.view.values()];
    const notes = objects.filter((obj) => obj.type === "note");
    setText(this.heading, t("listview.title"));
    setText(this.count, tn("listview.count", notes.length));
    this.adder.hidden = !board.canEdit();
    this.empty.hidden = notes.length > 0;
    const frameTitle = (/** @type {any} */ f) => f.title || t("board.frame.untitled");
    const groups = this.grouping === "category" && this.hasCategories ? byCategory(objects, categories) : byFrame(objects, frameTitle, categories);
    const threads = threadsByTarget(objects);
    const seen = new Set();
    /** @type {HTMLElement | null} */
    let previous = null;
    for (const group of groups) {
      const node = this.drawGroup(group, threads, seen);
      const place = previous ? previous.nextElementSibling : this.groupsNode.firstElementChild;
      if (node !== place) this.groupsNode.insertBefore(node, place);
      previous = node;
    }
    const keep = new Set(groups.map((group) => group.key));
    for (const [id, item] of this.items) {
      if (!seen.has(id)) {
        item.remove();
        this.items.delete(id);
      }
    }
    for (const [key, node] of this.groupNodes) {
      if (!keep.has(key)) {
        node.remove();
        this.groupNodes.delete(key);
      }
    }
  }

  /**
   * One group's section, its notes in order (entries reused by note id).
   * @param {import("./listgroups.js").Group} group @param {Map<string, any[]>} threads @param {Set<string>} seen ids drawn so far
   */
  drawGroup(group, threads, seen) {
    let node = this.groupNodes.get(group.key);
    if (!node) {
      node = el("section", { class: "list-group", "aria-labelledby": `lg-${cssId(group.key)}` });
      node.append(el("h3", { id: `lg-${cssId(group.key)}` }), el("ul", { class: "list-notes" }));
      this.groupNodes.set(group.key, node);
    }
    setText(/** @type {HTMLElement} */ (node.firstElementChild), groupTitle(group));
    node.dataset.kind = group.kind;
    const list = /** @type {HTMLElement} */ (node.lastElementChild);
    let cursor = list.firstElementChild;
    for (const note of group.notes) {
      seen.add(note.id);
      let item = this.items.get(note.id);
      if (!item) {
        item = el("li", { class: "list-note", "data-id": note.id });
        this.items.set(note.id, item);
      }
      this.drawNote(item, note, threads.get(note.id) ?? []);
      if (item !== cursor) list.insertBefore(item, cursor);
      else cursor = cursor.nextElementSibling;
    }
    if (!group.notes.length) {
      if (!list.querySelector(".list-none")) list.append(el("li", { class: "list-none" }, t("listview.frame_empty")));
    } else {
      list.querySelector(".list-none")?.remove();
    }
    return node;
  }

  /** Bring one note's entry up to date; an entry being edited keeps its box. @param {HTMLElement} item @param {any} note @param {any[]} threads */
  drawNote(item, note, threads) {
    const { board } = this;
    if (item.querySelector("textarea")) return;
    const textId = `ln-${note.id}`;
    const votes = board.renderer.voteCounts.get(note.id) ?? 0;
    const key = JSON.stringify([note.text, note.color, note.private, note.hidden, votes, threads.length, board.canEdit(), voteState(board.replica, note.id)]);
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
    this.addActions(actions, item, note, threads);
    item.replaceChildren(text, meta, actions);
    if (focused) /** @type {HTMLElement | null} */ (item.querySelector(`[data-action="${focused}"]`))?.focus();
  }

  /**
   * A note's buttons: edit, vote and take back a vote, its comments, show on the board.
   * @param {HTMLElement} actions @param {HTMLElement} item @param {any} note @param {any[]} threads
   */
  addActions(actions, item, note, threads) {
    const { board } = this;
    const button = (/** @type {string} */ name, /** @type {string} */ label, /** @type {() => void} */ act) => {
      const node = el("button", { type: "button", "data-action": name, class: name === "show" ? "secondary" : "" }, label);
      node.addEventListener("click", act);
      actions.append(node);
      return node;
    };
    if (board.canEdit()) button("edit", t("listview.edit"), () => this.edit(item, note.id));
    const voting = voteState(board.replica, note.id);
    if (voting) {
      const vote = /** @type {HTMLButtonElement} */ (button("vote", tn("dashboard.fac.vote", voting.left), () => castVote(board, note.id)));
      vote.disabled = voting.left === 0;
      if (voting.mine.length) button("unvote", t("dashboard.fac.unvote"), () => board.actions.send({ kind: "delete", id: voting.mine[voting.mine.length - 1].id }));
    }
    if (threads.length) {
      button("comments", t("listview.read_comments"), () => {
        this.returnTo = note.id;
        board.comments.show(threads[0].id);
      });
    } else if (board.canEdit()) {
      button("comment", t("listview.comment"), () => {
        this.returnTo = note.id;
        board.comments.start({ target: note.id });
      });
    }
    button("show", t("listview.show"), () => this.showOnBoard(note.id));
  }

  /** Edit a note's words in the list; focus comes back to its Edit button. @param {HTMLElement} item @param {string} id */
  edit(item, id) {
    const form = editForm(this.board, id, () => {
      item.dataset.drawn = "";
      form?.remove();
      this.render();
      /** @type {HTMLElement | null} */ (this.items.get(id)?.querySelector('[data-action="edit"]'))?.focus();
    });
    if (!form) return;
    item.replaceChildren(form);
    /** @type {HTMLTextAreaElement} */ (form.querySelector("textarea")).focus();
  }

  /** Go back to the canvas, on this note, selected and focused. @param {string} id */
  showOnBoard(id) {
    const { board } = this;
    this.open(false, false);
    board.revealObject(id);
    board.selection.set([id]);
    board.renderer.element(id)?.focus();
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

/**
 * Whether this person may vote for a note now, with how many votes left and theirs on it.
 * @param {import("./replica.js").Replica} replica @param {string} id
 */
function voteState(replica, id) {
  const settings = replica.settings;
  if (!settings.voting || settings.closed) return null;
  const mine = [...replica.view.values()].filter((obj) => obj.type === "vote" && replica.mine.has(obj.id));
  return { left: Math.max(0, settings.vote_budget - mine.length), mine: mine.filter((vote) => vote.target === id) };
}

/** @param {ListViewBoard} board @param {string} id */
function castVote(board, id) {
  const vote = { type: "vote", id: newId(), target: id };
  board.replica.mine.add(vote.id);
  board.actions.send(createOp(/** @type {any} */ (vote)));
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
