// Live search box: progressive enhancement of the header's GET form (ARIA 1.2 combobox).
// Without JavaScript the form simply submits to /search/. No dependencies, no other hosts.
(function () {
  "use strict";

  var MIN_CHARS = 2;
  var DELAY_MS = 200;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function enhance(form) {
    var input = form.querySelector("#site-search");
    var list = form.querySelector("#site-search-listbox");
    var status = form.querySelector("#site-search-status");
    var endpoint = form.getAttribute("data-suggest-url");
    if (!input || !list || !endpoint || !window.fetch) return;

    var timer = null;
    var controller = null;
    var active = -1;
    var cache = new Map();
    var lastQuery = "";

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      var items = options();
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function option(id, url, className) {
      var item = el("li", className);
      item.id = id;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.setAttribute("data-url", url);
      return item;
    }

    function resultOption(result, index) {
      var item = option("site-search-option-" + index, result.url, "search-suggestion");
      if (result.thumbnail) {
        var img = el("img", "search-suggestion-thumb");
        img.src = result.thumbnail;
        img.alt = "";
        img.width = 64;
        img.height = 48;
        item.appendChild(img);
      }
      var body = el("span", "search-suggestion-body");
      var title = el("span", "search-suggestion-title");
      title.dir = "auto";
      result.parts.forEach(function (part) {
        title.appendChild(part.mark ? el("mark", "", part.text) : document.createTextNode(part.text));
      });
      body.appendChild(title);
      var meta = [result.date, result.section].filter(Boolean).join(" · ");
      if (meta) body.appendChild(el("span", "search-suggestion-meta", meta));
      item.appendChild(body);
      return item;
    }

    function render(data) {
      list.textContent = "";
      data.results.forEach(function (result, i) {
        list.appendChild(resultOption(result, i));
      });
      if (!data.results.length) {
        var empty = el("li", "search-suggestion-empty", data.error || "No Result");
        empty.id = "site-search-empty";
        empty.setAttribute("role", "option");
        empty.setAttribute("aria-disabled", "true");
        list.appendChild(empty);
      }
      var all = option("site-search-all", data.all_url, "search-suggestion-all");
      all.textContent = "View All Result";
      list.appendChild(all);
      status.textContent = data.results.length
        ? data.results.length + (data.results.length === 1 ? " suggestion" : " suggestions") + " available"
        : "No Result";
      active = -1;
      open();
    }

    function load(query) {
      if (cache.has(query)) {
        render(cache.get(query));
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(endpoint + "?q=" + encodeURIComponent(query), {
        signal: controller.signal,
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.error === undefined) cache.set(query, data);
          if (query === lastQuery) render(data);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") close();
        });
    }

    function go(item) {
      var url = item && item.getAttribute("data-url");
      if (url) window.location.assign(url);
    }

    input.addEventListener("input", function () {
      var query = input.value.trim();
      lastQuery = query;
      clearTimeout(timer);
      if (query.length < MIN_CHARS) {
        close();
        return;
      }
      timer = setTimeout(function () { load(query); }, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var items = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          if (input.value.trim().length >= MIN_CHARS) load(input.value.trim());
          return;
        }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next >= items.length) next = 0;
        if (next < 0) next = items.length - 1;
        highlight(next);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        go(items[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    list.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep focus in the input
    });
    list.addEventListener("click", function (event) {
      var item = event.target.closest('[role="option"]');
      if (item && item.getAttribute("aria-disabled") !== "true") go(item);
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
  }

  function start() {
    var form = document.querySelector("form.search-box[data-suggest-url]");
    if (form) enhance(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
