// Saves the shopper's report draft shortly after each change; the status texts come from the form's data-* attributes.
(function () {
  var form = document.getElementById("report-form");
  if (!form || !form.dataset.autosave) return;
  var status = document.getElementById("autosave-status"), timer = null;
  function save() {
    var data = new FormData(form);
    data.set("action", "autosave");
    fetch(form.getAttribute("action") || window.location.href, {method: "POST", body: data, credentials: "same-origin"})
      .then(function (r) { status.textContent = r.ok ? form.dataset.savedText : form.dataset.unsavedText; form.dataset.saved = r.ok ? "1" : ""; })
      .catch(function () { status.textContent = form.dataset.offlineText; });
  }
  form.addEventListener("change", function () { form.dataset.saved = ""; clearTimeout(timer); timer = setTimeout(save, 400); });
})();
