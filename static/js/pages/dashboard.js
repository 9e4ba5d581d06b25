// The facilitator's dashboard (issues 4, 5 and 10): /new starts a workshop; a workshop's own
// dashboard runs it, one module per panel in ../dashboard/. The page is ready once every
// panel has shown what it first asked the server for.
import { mountCreate } from "../dashboard/create.js";
import { mountRunning } from "../dashboard/running.js";

/** @param {Document} doc @param {any} config */
export function mountDashboard(doc, config) {
  if (config.creating) {
    mountCreate(doc, config);
    return undefined;
  }
  return mountRunning(doc, config);
}
