// Entry point: reads the page's JSON config block and mounts what the page needs.
import { mountFacilitate } from "./pages/facilitate.js";

const config = JSON.parse(document.getElementById("config").textContent);

const pages = {
  facilitate: mountFacilitate,
};

const mount = pages[config.page];
Promise.resolve(mount ? mount(document, config) : undefined).finally(() => {
  document.documentElement.dataset.phase = "ready";
});
