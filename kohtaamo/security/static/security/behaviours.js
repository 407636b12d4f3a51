// Small page behaviours wired by data attributes, so templates need no inline handlers (CSP).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.form && field.hasAttribute("data-submit-on-change")) field.form.submit();
  });
})();
