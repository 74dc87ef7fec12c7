/* Upload progress for forms marked data-upload-progress, from htmx's xhr progress events.
   Without JavaScript the form is a plain multipart POST and the progress bar stays hidden. */
(function () {
  "use strict";

  function parts(form) {
    var box = form.querySelector("[data-upload-status]");
    if (!box) return null;
    return { box: box, bar: box.querySelector("progress"), label: box.querySelector("label") };
  }

  function uploadForm(event) {
    var form = event.target;
    return form && form.matches && form.matches("form[data-upload-progress]") ? form : null;
  }

  document.addEventListener("htmx:beforeSend", function (event) {
    var form = uploadForm(event);
    var ui = form && parts(form);
    if (!ui) return;
    ui.done = false;
    ui.bar.max = 100;
    ui.bar.value = 0;
    ui.label.textContent = ui.label.dataset.uploading;
    ui.box.hidden = false;
    form.uploadUi = ui;
  });

  // htmx sends the same event for the upload and for the answer's download: once the file is sent,
  // the server checks the rows and the bar waits (indeterminate) for its answer.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = uploadForm(event);
    var ui = form && form.uploadUi;
    if (!ui || ui.done || !event.detail.lengthComputable || !event.detail.total) return;
    ui.bar.max = event.detail.total;
    ui.bar.value = event.detail.loaded;
    if (event.detail.loaded >= event.detail.total) {
      ui.done = true;
      ui.bar.removeAttribute("value");
      ui.label.textContent = ui.label.dataset.checking;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = uploadForm(event);
    var ui = form && form.uploadUi;
    if (!ui) return;
    ui.box.hidden = true;
    form.uploadUi = null;
  });
})();
