// Loads the wasm UI. Kept out of index.html so the CSP needs no inline scripts.
import init from "./hub_ui.js";
init();
