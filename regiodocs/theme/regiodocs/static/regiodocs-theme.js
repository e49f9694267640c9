/* regiodocs theme: on narrow screens the main navigation collapses behind the "Menü" button.
   Without JavaScript the button stays hidden and the navigation is a plain list. */
(function () {
  "use strict";
  function init() {
    var button = document.querySelector(".regio-menue-knopf");
    var menu = document.getElementById("regio-menue");
    if (!button || !menu) return;
    document.documentElement.classList.add("regio-js");
    button.hidden = false;
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("regio-offen", open);
    }
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false);
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
