/* regiodocs: a table wider than the page scrolls inside its wrapper. Keyboard users
   must be able to reach that scroll area (WCAG 2.1.1, axe "scrollable-region-focusable"):
   such wrappers become focusable regions named after the table. */
(function () {
  "use strict";
  function label(wrapper) {
    var caption = wrapper.querySelector("caption");
    var heading = wrapper.previousElementSibling;
    var text = caption ? caption.textContent : heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent : "";
    return ("Tabelle " + text.replace(/[¶#]\s*$/, "")).trim();
  }
  function mark() {
    document.querySelectorAll(".table-wrapper").forEach(function (wrapper) {
      if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", label(wrapper));
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("resize", mark);
})();
