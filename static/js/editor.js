// Staff area enhancements; every page works without this file.
(function () {
  "use strict";

  // Ask before destructive actions (forms marked with data-confirm).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Suggest a slug from the title while the slug field is untouched (the server decides).
  var title = document.getElementById("title");
  var slug = document.getElementById("slug");
  if (title && slug && !slug.value) {
    slug.placeholder = "made from the title";
  }
})();
