// Features that live on the board page (facilitation, the exit poll...) register here: each
// appends one `mount(ctx)` function, called once after the board is set up. A feature uses
// only `ctx`, never the board's insides, so either side can change behind it.
//
// ctx.config                the page config (board, number, workshop {id, title, code}, boards
//                           [{id, number}], role "participant" | "facilitator", limits, lang,
//                           strings, categories {key: label}, category_descriptions
//                           {key: one line}, protocol)
// ctx.events                an EventTarget dispatching CustomEvents:
//                             "welcome"   the welcome message (after every (re)connection)
//                             "settings"  the board's settings object, after every change
//                             "notice"    a `notice` frame
//                             "status"    {state: "connecting"|"online"|"offline"|"reconnecting"|"closed"}
//                             "objects"   {ids}: objects that changed (ids: a Set)
//                             "selection" {ids}: the selection changed (ids: an array)
//                             "viewport"  {x, y, zoom}: the view moved (x, y: the centre)
//                             "following" {following}: whether this person follows a facilitator
//                           The same events are dispatched on `document` as "board:welcome",
//                           "board:settings"... for other modules of the page.
// ctx.settings()            the current settings (defaults filled in)
// ctx.objects()             Map id -> object as this person sees it, defaults filled in
// ctx.send(op)              submit an op (create, update, delete, batch, settings): shown at
//                           once, kept in the outbox, sent exactly once; returns its op id, or
//                           null when refused before sending (the person is told why)
// ctx.signal(kind, x, y, zoom)   facilitators: "summon" | "follow" | "unfollow" everyone on the
//                           board to the view centred on (x, y) at `zoom`
// ctx.viewport()            {x, y, zoom}: the centre of the view and the zoom
// ctx.goTo(x, y, zoom)      move the view there (gliding, unless reduced motion is preferred)
// ctx.toolbar               an element to add toolbar buttons to
// ctx.panels                an element to add panels over the board to
// ctx.banners              an element above the board and its toolbar for banners that
//                           push the board down (never cover it)
// ctx.objectMenu(register)  register(obj, menu) is called whenever the selection's menu is
//                           built: `obj` is the first selected object, `menu.objects` all of
//                           them, and `menu.add(label, action, {pressed, danger, name})` adds a
//                           button and returns it
// ctx.notify(text, kind)    a short message in the polite live region ("info" | "error")
// ctx.announce(text)       say `text` to screen readers now, in the board's announcer
// ctx.decorate(fn)          fn(node, obj) is called with every object's element after it is
//                           built or redrawn (and at once for those drawn now): a feature
//                           adds its own marks inside the element, never changing the board's
// ctx.create(objects)       add objects as the board's own tools do (drawn on top, one step
//                           of undo); returns their ids ([] when refused)
// ctx.edit(id, field)       select an object and open its text for typing in place

import { mountCategories } from "../categories/feature.js";
import { mountFacilitation } from "../facilitation/feature.js";
import { mountPoll } from "../poll/feature.js";

/** @type {Array<(ctx: any) => void>} */
export const FEATURES = [];
FEATURES.push(mountPoll); // the exit poll (issue 6)
FEATURES.push(mountFacilitation); // timer, voting, moderation, facilitator panel, gallery (issue 4)
FEATURES.push(mountCategories); // categories, definition cards, "raised in N of M groups" (issues 5, 10)
