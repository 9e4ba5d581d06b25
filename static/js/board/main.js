// The board page: builds each part on the markup of templates/board.html, wires them
// together, then hands features their `ctx` (features.js). No logic of its own beyond the
// wiring and the few verbs every part shares (add a note, edit, delete the selection).

import { t } from "../i18n.js";
import { clampCoord, newId } from "../protocol.js";
import { mountAccess, mayEdit } from "./access.js";
import { Actions } from "./actions.js";
import { announcing, mountAnnouncer } from "./announce.js";
import { Clipboard } from "./clipboard.js";
import { Comments } from "./comments.js";
import { Editor } from "./editor.js";
import { FEATURES } from "./features.js";
import { newChoices } from "./choices.js";
import { bounds, contains, intersects, union } from "./geometry.js";
import { mountHelp } from "./help.js";
import { History } from "./history.js";
import { Input } from "./input.js";
import { mountKeyboard } from "./keyboard.js";
import { mountListView } from "./listview.js";
import { ObjectMenu } from "./menu.js";
import { mayRemove } from "./ownership.js";
import { openingView } from "./opening.js";
import { Outbox } from "./outbox.js";
import { Presence } from "./presence.js";
import { mountReader } from "./reader.js";
import { Renderer } from "./render.js";
import { Replica } from "./replica.js";
import { Selection } from "./selection.js";
import { mountSignals } from "./signals.js";
import { mountStatus, mountToasts } from "./status.js";
import { Connection } from "./sync.js";
import { mountToolbar } from "./toolbar.js";
import * as commentTool from "./tools/comment.js";
import * as eraserTool from "./tools/eraser.js";
import * as noteTool from "./tools/note.js";
import * as penTool from "./tools/pen.js";
import * as selectTool from "./tools/select.js";
import * as shapeTool from "./tools/shape.js";
import * as textTool from "./tools/text.js";
import { hashToPlace, placeToHash, Viewport } from "./viewport.js";

/**
 * The board page's own wiring: every part, and the verbs they share. It never leaves this
 * file whole: each part is handed only what it uses, as its own documented interface (the
 * typedef at the top of its module, e.g. `ToolbarBoard` in toolbar.js, like `ctx` for
 * features in features.js), so a part's dependencies show in its signature.
 * @typedef {object} Board
 * @property {Record<string, any>} config
 * @property {string} role
 * @property {Record<string, number>} limits
 * @property {HTMLElement} canvas
 * @property {HTMLElement} world
 * @property {HTMLElement} overlay
 * @property {Replica} replica
 * @property {Connection} connection
 * @property {Viewport} viewport
 * @property {Renderer} renderer
 * @property {Selection} selection
 * @property {History} history
 * @property {Actions} actions
 * @property {Input} input
 * @property {Editor} editor
 * @property {Clipboard} clipboard
 * @property {Comments} comments
 * @property {EventTarget} events
 * @property {import("./choices.js").Choices} choices
 * @property {(text: string, kind?: "info" | "error") => void} notify
 * @property {(text: string) => void} announce
 * @property {() => boolean} canEdit
 * @property {(v: number) => number} clampCoord
 * @property {(name: string) => void} setTool
 * @property {(key: string) => string | null} toolForKey
 * @property {(id: string, field?: string, options?: {created?: boolean, removeIfEmpty?: boolean}) => boolean} edit
 * @property {(x: number, y: number, options?: {free?: boolean}) => string | null} addNote
 * @property {() => void} commentHere
 * @property {() => void} removeSelection
 * @property {() => void} undo
 * @property {() => void} redo
 * @property {() => void} zoomToFit
 * @property {(id: string) => void} revealObject
 * @property {(active: boolean) => void} gesturing
 * @property {() => void} refreshChrome
 */

const TOOLS = { select: selectTool, note: noteTool, shape: shapeTool, pen: penTool, eraser: eraserTool, text: textTool, comment: commentTool };
const NOTE_SIZE = 200;

/** @param {Document} doc @param {Record<string, any>} config */
export function mountBoard(doc, config) {
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (doc.getElementById(id));
  const { board, outbox, showStatus } = buildBoard($, config);
  const send = sender(board.connection, board.notify);
  addVerbs(board);
  const menu = buildParts(board, send, $);
  const toolbar = mountPage(board, $);
  const status = reportConnection(board, outbox, showStatus);
  const ctx = featureContext(doc, board, { send, menu, toolbar: toolbar.features, panels: $("panels"), banners: $("banners") });
  const linked = followAddress(doc, board.viewport);
  board.replica.rebuild(); // what the outbox kept from an earlier visit shows at once
  board.setTool("select");
  board.connection.start();
  status();
  for (const mount of FEATURES) {
    try {
      mount(ctx);
    } catch (error) {
      console.error("a board feature failed to start", error);
    }
  }
  fitOnceOnline(doc, board, linked);
}

/**
 * The board's own parts over the page's markup: the replica and its connection, the view,
 * the renderer, the selection and the history; the verbs and the parts that use them are
 * added by the functions below.
 * @param {(id: string) => HTMLElement} $ @param {Record<string, any>} config
 */
function buildBoard($, config) {
  const canvas = $("canvas");
  const world = $("world");
  const limits = config.limits;
  const role = config.role;
  const outbox = new Outbox(config.board);
  const replica = new Replica(outbox, config.lang ?? "en");
  const wsUrl = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws`;
  const connection = new Connection({ url: wsUrl, board: config.board, version: config.protocol, replica, outbox, limits });
  const viewport = new Viewport(canvas, world, limits.max_coordinate, $("grid"));
  const overview = /** @type {HTMLCanvasElement} */ ($("overview"));
  const renderer = new Renderer({ world, overview, viewport, replica, env: { role, categories: config.categories ?? {} } });
  const selection = new Selection({ layer: $("selection-layer"), renderer, viewport });
  /** @type {Board} */
  const board = /** @type {any} */ ({
    config,
    role,
    limits,
    canvas,
    world,
    overlay: $("overlay"),
    replica,
    connection,
    viewport,
    renderer,
    selection,
    history: new History(),
    events: new EventTarget(),
    choices: newChoices(),
    notify: mountToasts($("toasts")),
    canEdit: () => mayEdit(replica.settings, role),
    clampCoord: (/** @type {number} */ v) => clampCoord(limits, v),
  });
  return { board, outbox, showStatus: mountStatus($("connection")) };
}

/**
 * Send one op, or tell the person why it cannot go.
 * @param {Connection} connection @param {(text: string, kind?: "info" | "error") => void} notify
 * @returns {(op: any, options?: {merge?: boolean}) => string | null} the op's id, or null when refused
 */
function sender(connection, notify) {
  return (op, options = {}) => {
    const result = connection.submit(newId(), op, options);
    if ("refused" in result) {
      notify(t(result.refused), "error");
      return null;
    }
    return result.id;
  };
}

/**
 * The parts that act on the board: actions, the editor, the clipboard, comments, the tools
 * and the input that drives them, and the selection's menu (returned: features use it).
 * @param {Board} board @param {(op: any, options?: {merge?: boolean}) => string | null} send
 * @param {(id: string) => HTMLElement} $
 */
function buildParts(board, send, $) {
  const { config, role, limits, canvas, replica, history, renderer, viewport, selection, choices, notify, canEdit, clampCoord } = board;
  const actions = new Actions({ send, replica, history, maxBatch: limits.max_batch_ops });
  board.actions = actions;
  const { edit, revealObject, removeSelection } = board;
  board.editor = new Editor({ limits, replica, renderer, actions, history, canEdit, revealObject, notify });
  board.clipboard = new Clipboard({ config: { board: config.board, number: config.number, workshop: config.workshop }, limits, replica, selection, viewport, actions, choices, canEdit, removeSelection, notify, clampCoord });
  board.comments = new Comments({ role, limits, replica, viewport, actions, canEdit, notify }, $("pins"), $("panels"));
  const handlers = makeTools(board);
  board.input = new Input({
    canvas,
    viewport,
    tool: () => handlers[choices.tool],
    // Far out there are no elements to press on: find the object under the pointer instead.
    pick: (e) => (renderer.far ? renderer.overview.hit(...viewport.eventToWorld(e)) : null),
  });
  const { clipboard, comments } = board;
  const menu = new ObjectMenu({ role, canvas, replica, selection, renderer, actions, clipboard, comments, choices, canEdit, viewport, removeSelection, edit }, board.overlay);
  board.gesturing = (active) => menu.gesturing(active);
  return menu;
}

/**
 * Each tool's handlers, each tool given what it uses (its typedef in tools/).
 * @param {Board} board @returns {Record<string, any>}
 */
function makeTools(board) {
  const { role, limits, canvas, overlay, replica, viewport, renderer, selection, history, actions, comments, choices } = board;
  const { canEdit, clampCoord, setTool, edit, addNote } = board;
  const gesturing = (/** @type {boolean} */ active) => board.gesturing(active); // the menu comes after the tools
  return {
    select: selectTool.create({ canvas, overlay, limits, viewport, selection, renderer, actions, canEdit, gesturing, edit, addNote, clampCoord }),
    note: noteTool.create({ viewport, setTool, addNote }),
    shape: shapeTool.create({ viewport, overlay, choices, limits, actions, selection, setTool, clampCoord }),
    pen: penTool.create({ viewport, overlay, choices, limits, actions, clampCoord }),
    eraser: eraserTool.create({ role, replica, viewport, renderer, actions, history }),
    text: textTool.create({ viewport, actions, selection, setTool, edit, clampCoord }),
    comment: commentTool.create({ viewport, replica, comments, setTool, clampCoord }),
  };
}

/**
 * The verbs every part shares: choose a tool, add a note, comment, edit, remove the
 * selection, undo and redo, fit and reveal. Defined before the parts that use them, they
 * reach the parts they drive (editor, comments, actions) only when called.
 * @param {Board} board
 */
function addVerbs(board) {
  const { canvas, selection, viewport, renderer, replica } = board;
  board.setTool = (name) => {
    if (!(name in TOOLS)) return;
    if (name !== "select" && !board.canEdit()) return;
    board.choices.tool = name;
    canvas.dataset.tool = name;
    board.refreshChrome();
  };
  board.toolForKey = (key) => Object.values(TOOLS).find((tool) => tool.key === key)?.name ?? null;
  board.edit = (id, field, options) => board.editor.open(id, field, options);
  board.addNote = (x, y, { free = false } = {}) => {
    if (!board.canEdit()) return null;
    const [left, top] = free ? freeSpot(replica.view.values(), x - NOTE_SIZE / 2, y - NOTE_SIZE / 2) : [x - NOTE_SIZE / 2, y - NOTE_SIZE / 2];
    const [id] = board.actions.create([
      { type: "note", x: board.clampCoord(left), y: board.clampCoord(top), w: NOTE_SIZE, h: NOTE_SIZE, text: "", color: board.choices.noteColor },
    ]);
    if (!id) return null;
    selection.set([id]);
    board.edit(id, "text", { created: true });
    return id;
  };
  // From the keyboard there is no pointer to place a comment with: the one selected thing
  // gets it, else it is pinned in the middle of the view (C then Enter, or the Comment button).
  board.commentHere = () => {
    if (!board.canEdit()) return;
    board.setTool("select");
    const [single] = selection.size === 1 ? selection.objects() : [];
    if (single && typeof single.x === "number" && single.type !== "comment") board.comments.start({ target: single.id });
    else board.comments.start({ x: board.clampCoord(viewport.x), y: board.clampCoord(viewport.y) });
  };
  board.removeSelection = () => removeSelection(board);
  const afterHistory = (/** @type {string[] | null} */ ids) => {
    if (!ids) board.notify(t("board.history.nothing"));
  };
  board.undo = () => board.canEdit() && afterHistory(board.actions.undo());
  board.redo = () => board.canEdit() && afterHistory(board.actions.redo());
  board.zoomToFit = () => viewport.fit(everything(replica));
  board.revealObject = (id) => {
    const obj = replica.get(id);
    const box = obj ? bounds(obj) : null;
    if (!box) return;
    // Editing needs the object's own element: come close enough to have one.
    if (renderer.far) viewport.set(box.x + box.w / 2, box.y + box.h / 2, 1);
    else if (!intersects(viewport.visible(0), box)) viewport.set(box.x + box.w / 2, box.y + box.h / 2, viewport.zoom);
    renderer.moved();
    if (!renderer.element(id)) renderer.cull();
  };
  board.gesturing = () => {}; // until the menu is up (buildParts)
  board.refreshChrome = () => {}; // until the toolbar is up (mountPage)
}

/**
 * Delete, Backspace and cut remove what this person may remove (ownership.js); someone
 * else's notes stay, still selected, and the page says why rather than asking the server
 * for a removal it would refuse.
 * @param {Board} board
 */
function removeSelection(board) {
  const { selection } = board;
  if (!board.canEdit() || !selection.size) return;
  /** @type {string[]} */ const ids = [];
  /** @type {string[]} */ const kept = [];
  for (const obj of selection.objects()) (mayRemove(board, obj) ? ids : kept).push(obj.id);
  selection.set(kept);
  if (ids.length) board.actions.remove(ids);
  if (kept.length) board.notify(t("error.not_yours"));
  board.canvas.focus();
}

/** The box around every placed object (comments pin on others, so they do not count). @param {Replica} replica */
function everything(replica) {
  return union([...replica.view.values()].filter((obj) => obj.type !== "comment").map(bounds));
}

/**
 * The page around the canvas: toolbar (returned), help, keyboard, presence, signals, the
 * access badges, and for screen readers and keyboards the announcer and the list view. Each
 * is given what it uses (its typedef).
 * @param {Board} board @param {(id: string) => HTMLElement} $
 */
function mountPage(board, $) {
  const { config, role, limits, canvas, world, replica, connection, viewport, renderer, selection, history, actions, events } = board;
  const { input, editor, clipboard, comments, choices, notify, canEdit, clampCoord, setTool, toolForKey, edit, addNote } = board;
  const { commentHere, removeSelection, undo, redo, zoomToFit, revealObject } = board;
  const toolbar = mountToolbar(
    { tools: TOOLS, choices, viewport, history, canEdit, setTool, addNote, commentHere, undo, redo, zoomToFit },
    $("toolbar"),
    $("zoom-controls"),
  );
  board.refreshChrome = () => toolbar.update();
  const help = mountHelp(/** @type {HTMLDialogElement} */ ($("help")), $("help-button"));
  mountReader({ world, replica, selection }, world.ownerDocument);
  mountKeyboard(
    { world, replica, selection, actions, viewport, clipboard, choices, canEdit, setTool, toolForKey, edit, addNote, commentHere, removeSelection, undo, redo, zoomToFit, clampCoord },
    help,
  );
  new Presence({ role, limits, connection, replica, viewport, input }, $("cursors"), $("people"));
  mountSignals({ connection, events, viewport, notify }, $("following"));
  mountAccess({ role, replica, choices, setTool, editor, refreshChrome: () => board.refreshChrome() }, $("board-mode"), $("private-badge"));
  // For screen readers and keyboards: others' changes announced, and the notes as a list.
  board.announce = announcing(mountAnnouncer({ canvas, replica }));
  mountListView(
    { config, role, limits, canvas, replica, renderer, selection, viewport, actions, editor, comments, choices, canEdit, revealObject, notify, clampCoord },
    { place: (x, y) => freeSpot(replica.view.values(), x - NOTE_SIZE / 2, y - NOTE_SIZE / 2) },
  );
  selectOnFocus(board);
  return toolbar;
}

/** Tab lands on an object: select it, and bring it into view if it is off screen. @param {Board} board */
function selectOnFocus(board) {
  const { selection, renderer, viewport } = board;
  // A press focuses the object too; then the press, not the focus, decides the selection.
  let pointerAt = 0;
  board.input.addEventListener("gesture", (event) => {
    if (/** @type {CustomEvent} */ (event).detail.active) pointerAt = performance.now();
  });
  board.world.addEventListener("focusin", (event) => {
    const item = /** @type {HTMLElement} */ (event.target).closest(".item");
    const id = item instanceof HTMLElement ? item.dataset.id : undefined;
    if (!id || board.editor.editing(id)) return;
    if (performance.now() - pointerAt > 500 && !selection.has(id)) selection.set([id]);
    const box = bounds(renderer.object(id) ?? { type: "none" });
    if (box && !contains(viewport.visible(0), box)) viewport.goTo(box.x + box.w / 2, box.y + box.h / 2, viewport.zoom, { user: true });
  });
}

/**
 * The connection's state in the corner, and refused changes told and flashed. Returns the
 * function that shows the state.
 * @param {Board} board @param {Outbox} outbox
 * @param {(state: string, pending: number, reason: string | null, persisted: boolean) => void} showStatus
 */
function reportConnection(board, outbox, showStatus) {
  const { connection, events } = board;
  const status = () => showStatus(connection.state, outbox.size, connection.reason, outbox.persisted);
  connection.addEventListener("status", (event) => {
    status();
    events.dispatchEvent(new CustomEvent("status", { detail: { state: /** @type {CustomEvent} */ (event).detail.state } }));
  });
  connection.addEventListener("pending", status);
  connection.addEventListener("error", (event) => {
    const error = /** @type {CustomEvent} */ (event).detail;
    const key = `error.${error.code}`;
    const words = t(key) === key ? t("common.error.unknown") : t(key);
    board.notify(error.op ? t("board.refused", { reason: words }) : words, "error");
    if (error.op) flashRollback(board, error.op);
  });
  return status;
}

/**
 * The contract for features (features.js): the board's events relayed to `ctx.events` and
 * to the document, and the ctx itself.
 * @param {Document} doc @param {Board} board
 * @param {{send: (op: any) => string | null, menu: ObjectMenu, toolbar: HTMLElement, panels: HTMLElement, banners: HTMLElement}} parts
 */
function featureContext(doc, board, { send, menu, toolbar, panels, banners }) {
  const { config, events, connection, replica, selection, viewport, renderer } = board;
  const relay = (/** @type {string} */ type, /** @type {any} */ detail) => {
    events.dispatchEvent(new CustomEvent(type, { detail }));
    doc.dispatchEvent(new CustomEvent(`board:${type}`, { detail }));
  };
  connection.addEventListener("welcome", (event) => relay("welcome", /** @type {CustomEvent} */ (event).detail));
  connection.addEventListener("notice", (event) => relay("notice", /** @type {CustomEvent} */ (event).detail));
  connection.addEventListener("status", (event) => doc.dispatchEvent(new CustomEvent("board:status", { detail: { state: /** @type {CustomEvent} */ (event).detail.state } })));
  replica.addEventListener("settings", (event) => relay("settings", /** @type {CustomEvent} */ (event).detail));
  replica.addEventListener("objects", (event) => relay("objects", { ids: /** @type {CustomEvent} */ (event).detail.ids }));
  selection.addEventListener("change", (event) => relay("selection", /** @type {CustomEvent} */ (event).detail));
  viewport.addEventListener("change", () => relay("viewport", viewport.view));
  return {
    config,
    events,
    settings: () => replica.settings,
    objects: () => replica.view,
    send: (/** @type {any} */ op) => send(op),
    signal: (/** @type {string} */ kind, /** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ zoom) =>
      connection.sendVolatile({ type: "signal", kind, x: board.clampCoord(x), y: board.clampCoord(y), zoom: Math.max(0.01, Math.min(100, zoom)) }),
    viewport: () => viewport.view,
    goTo: (/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ zoom) => viewport.goTo(x, y, zoom),
    toolbar,
    panels,
    banners,
    objectMenu: (/** @type {import("./menu.js").Register} */ register) => menu.register(register),
    notify: board.notify,
    announce: board.announce,
    decorate: (/** @type {(node: HTMLElement, obj: any) => void} */ decorator) => {
      renderer.decorators.push(decorator);
      for (const item of renderer.items.values()) decorator(item.node, item.obj);
    },
    create: (/** @type {any[]} */ objects) => board.actions.create(objects),
    edit: (/** @type {string} */ id, /** @type {string | undefined} */ field) => {
      selection.set([id]);
      return board.edit(id, field);
    },
  };
}

/**
 * A link may name a place ("#@x,y,zoom"); the address follows the view, so a reload or a
 * copied link comes back to it. Returns the place the link named, if any.
 * @param {Document} doc @param {Viewport} viewport
 */
function followAddress(doc, viewport) {
  const linked = hashToPlace(location.hash);
  if (linked) viewport.set(linked.x, linked.y, linked.zoom, false);
  else viewport.set(0, 0, 1, false);
  addEventListener("hashchange", () => {
    const place = hashToPlace(location.hash);
    if (place) viewport.goTo(place.x, place.y, place.zoom, { user: true });
  });
  let addressTimer = 0;
  viewport.addEventListener("change", () => {
    clearTimeout(addressTimer);
    addressTimer = window.setTimeout(() => {
      window.history.replaceState(window.history.state, "", placeToHash(viewport.view));
      keepPlace(doc);
    }, 400);
  });
  // The language switch comes back to the same place: its "next" carries the view too.
  for (const link of doc.querySelectorAll(".language-switch a[href]")) {
    link.addEventListener("click", () => {
      window.history.replaceState(window.history.state, "", placeToHash(viewport.view));
      keepPlace(doc);
    });
  }
  keepPlace(doc);
  return linked;
}

/**
 * The page says when it is online (tests and styles read it); the first time, unless a link
 * said where to look, the view shows the board whole, or a readable part of it (opening.js).
 * @param {Document} doc @param {Board} board @param {{x: number, y: number, zoom: number} | null} linked
 */
function fitOnceOnline(doc, board, linked) {
  const { connection, replica, viewport } = board;
  let fitted = false;
  connection.addEventListener("status", () => {
    if (connection.state === "online") doc.documentElement.dataset.connection = "online";
    else doc.documentElement.dataset.connection = connection.state;
    if (connection.state === "online" && !fitted) {
      fitted = true;
      if (linked) return; // the link said where to look
      const view = openingView(replica.view, replica.mine, viewport);
      if (view) viewport.goTo(view.x, view.y, view.zoom);
    }
  });
}

/**
 * Where a new note can go near (x, y) without covering another: the spot itself, else the
 * nearest free place on a grid around it (so pressing N three times gives three notes side by
 * side, not a stack). Falls back to the spot itself on a crowded board.
 * @param {Iterable<any>} objects @param {number} x @param {number} y
 */
function freeSpot(objects, x, y) {
  const blocking = [];
  for (const obj of objects) {
    if (obj.type === "note" || obj.type === "shape" || obj.type === "text" || obj.type === "definition") {
      const box = bounds(obj);
      if (box) blocking.push(box);
    }
  }
  const step = NOTE_SIZE + 20;
  const free = (/** @type {number} */ px, /** @type {number} */ py) =>
    !blocking.some((box) => box.x < px + NOTE_SIZE && px < box.x + box.w && box.y < py + NOTE_SIZE && py < box.y + box.h);
  // Nearest first; at equal distance to the right, then below, as people read.
  const spots = [];
  for (let dy = -4; dy <= 4; dy += 1) for (let dx = -4; dx <= 4; dx += 1) spots.push([dx, dy]);
  spots.sort(([ax, ay], [bx, by]) => Math.hypot(ax, ay) - Math.hypot(bx, by) || Math.abs(ay) - Math.abs(by) || bx - ax || by - ay);
  for (const [dx, dy] of spots) if (free(x + dx * step, y + dy * step)) return [x + dx * step, y + dy * step];
  return [x, y];
}

/**
 * Point the language switch's links back at this page as it is now, place included: the
 * server never sees the part after "#", so the link has to carry it in "next".
 * @param {Document} doc
 */
function keepPlace(doc) {
  const here = `${location.pathname}${location.search}${location.hash}`;
  for (const link of doc.querySelectorAll(".language-switch a[href]")) {
    const url = new URL(/** @type {HTMLAnchorElement} */ (link).href);
    if (!url.pathname.startsWith("/lang/")) continue;
    url.searchParams.set("next", here);
    link.setAttribute("href", `${url.pathname}${url.search}`);
  }
}

/** Show which object a refused change was about: it snaps back, and is briefly marked. */
function flashRollback(/** @type {Board} */ board, /** @type {any} */ op) {
  const ids = op.kind === "batch" ? op.ops.map((/** @type {any} */ sub) => sub.id ?? sub.obj?.id) : [op.id ?? op.obj?.id];
  for (const id of ids) {
    const node = id ? board.renderer.element(id) : null;
    if (!node) continue;
    node.classList.remove("rolled-back");
    void node.offsetWidth; // restart the animation
    node.classList.add("rolled-back");
    setTimeout(() => node.classList.remove("rolled-back"), 1500);
  }
}
