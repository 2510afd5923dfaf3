/* vrc public pages: quick exit (button, or Esc twice) and the print button. No tracking, no storage. */
(function () {
  "use strict";
  var exit = document.getElementById("quick-exit");
  if (!exit) return;

  function leave(event) {
    if (event) event.preventDefault();
    /* replace(): this page does not stay in the tab's history, so Back does not return to it. */
    window.location.replace(exit.href);
  }
  exit.addEventListener("click", leave);

  var lastEsc = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    var now = Date.now();
    if (now - lastEsc < 1500) leave(event);
    lastEsc = now;
  });

  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
