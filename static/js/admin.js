// The staff console's only script: a live preview for the resource editor. Progressive enhancement:
// without it, the "Update the preview" button renders the same preview on the server.
(function () {
  "use strict";
  var form = document.querySelector("form.vrc-resource-form[data-preview]");
  var out = document.getElementById("vrc-preview");
  if (!form || !out || !window.fetch || !window.FormData || !window.URLSearchParams) return;
  var timer = null, seq = 0;
  function update() {
    var mine = ++seq;
    fetch(form.getAttribute("data-preview"), {
      method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(form))
    }).then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        // The server rendered this with the public page's own escaping templates.
        if (html !== null && mine === seq) out.innerHTML = html;
      })
      .catch(function () { /* the button still works */ });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
})();
