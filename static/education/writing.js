// The writing page's extras; the form saves without them. Live preview of the body (the
// server renders it, so the preview is exactly what readers get), live word count, and an
// uploaded image inserted at the cursor.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  if (!form) return;
  var body = form.querySelector("textarea[name=body]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var panel = document.querySelector("[data-live-preview]");
  var target = document.querySelector("[data-preview-body]");
  var words = document.querySelector("[data-words]");
  var minutes = document.querySelector("[data-minutes]");
  var timer = null;
  var last = null;

  function refresh() {
    if (body.value === last) return;
    last = body.value;
    var data = new FormData();
    data.append("body", body.value);
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) {
        if (!result) return;
        target.innerHTML = result.html; // rendered and sanitised by the server
        words.textContent = result.words;
        minutes.textContent = result.minutes;
        panel.hidden = false;
      })
      .catch(function () { /* the preview is a help, never a requirement */ });
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  refresh();

  var upload = document.querySelector("form[data-image-upload]");
  if (!upload) return;
  var status = upload.querySelector("[data-image-status]");
  upload.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = "Uploading…";
    fetch(upload.action, {
      method: "POST",
      body: new FormData(upload),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (result.errors) {
          status.textContent = Object.values(result.errors).flat().join(" ");
          return;
        }
        var at = body.selectionStart || body.value.length;
        var text = "\n\n" + result.markdown + "\n\n";
        body.value = body.value.slice(0, at) + text + body.value.slice(at);
        body.focus();
        body.selectionStart = body.selectionEnd = at + text.length;
        status.textContent = "The image is in the article at the cursor. Save to keep it.";
        upload.reset();
        refresh();
      })
      .catch(function () { status.textContent = "The upload did not work; please try again."; });
  });
})();
