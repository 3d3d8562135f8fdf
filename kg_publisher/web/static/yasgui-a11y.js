// Names YASGUI's unlabelled controls and keeps its tab list a list of tabs only, so screen readers can use the
// editor (axe-core: label, aria-required-children, scrollable-region-focusable). Re-applied whenever the editor
// redraws (new tabs, results).
(function () {
  "use strict";
  const root = document.getElementById("yasgui");
  if (!root) return;
  const label = (selector, text) => {
    for (const element of root.querySelectorAll(selector)) {
      if (!element.hasAttribute("aria-label")) element.setAttribute("aria-label", text);
    }
  };
  const apply = () => {
    label("textarea", "SPARQL 查询 query");
    label("input.autocomplete", "SPARQL endpoint");
    label(".tabsList input", "Tab name");
    // CodeMirror makes its scroller unfocusable (-1): a keyboard reader could then not scroll a long query
    for (const scroller of root.querySelectorAll(".CodeMirror-scroll")) {
      if (scroller.getAttribute("tabindex") !== "0") scroller.setAttribute("tabindex", "0");
    }
    // YASGUI draws only the active tab's panel: a tab may not point (aria-controls) at a panel that is not there
    for (const tab of root.querySelectorAll(".tabsList [aria-controls]")) {
      if (!document.getElementById(tab.getAttribute("aria-controls"))) tab.removeAttribute("aria-controls");
    }
    // the "add tab" button is not a tab: it goes right after the tab list instead of inside it
    for (const list of root.querySelectorAll(".tabsList")) {
      const add = list.querySelector(".addTab");
      if (add) list.after(add.parentElement);
    }
    // Says the editor is drawn and named, for whoever must not look before (the accessibility test).
    if (root.querySelector(".CodeMirror") && root.querySelector(".tabsList")) root.dataset.accessible = "true";
  };
  apply();
  new MutationObserver(apply).observe(root, { childList: true, subtree: true });
})();
