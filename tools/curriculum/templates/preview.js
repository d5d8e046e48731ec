/* curriculum serve: reload the page after each rebuild, and show the open findings (the
   checker's, and the problems of the last build) in a banner over every page. Injected by the preview server only, never published.
   Polls __STATUS__ (JSON: {version, findings}); no network beyond it, no external assets.
   The banner is an ARIA alert (announced when it appears or changes), in English like the
   checker's messages (lang="en", dir="ltr" also inside right-to-left pages), full width at
   the bottom, dark text on white with a red edge (contrast above 12:1). */
(function () {
  "use strict";
  var STATUS = "__STATUS__";
  var ID = "curriculum-preview-findings";
  var seenVersion = null;
  var shownKey = null;
  var hidden = false;

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    for (var name in attributes) { node.setAttribute(name, attributes[name]); }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function style() {
    if (document.getElementById(ID + "-style")) { return; }
    var css = element("style", {id: ID + "-style"});
    css.textContent = [
      "#" + ID + "{position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:45vh;overflow:auto;",
      "box-sizing:border-box;margin:0;padding:.75rem 1rem;background:#fff;color:#1b1b1b;",
      "border-top:.35rem solid #b3261e;box-shadow:0 -.25rem 1rem rgba(0,0,0,.35);text-align:left;",
      "font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif}",
      "#" + ID + " h2{margin:0 0 .5rem;font-size:1.05rem;color:#8c1d18}",
      "#" + ID + " ul{margin:0;padding:0;list-style:none}",
      "#" + ID + " li{margin:.4rem 0;padding:.4rem .6rem;border-left:.25rem solid #b3261e;background:#fdf3f2}",
      "#" + ID + " li.warning{border-left-color:#7a5200;background:#fff8e6}",
      "#" + ID + " code{font-family:ui-monospace,'Noto Sans Mono',monospace;color:#1b1b1b;background:none;",
      "padding:0;border:0;font-size:.95em}",
      "#" + ID + " .code{font-weight:700}",
      "#" + ID + " details{margin-top:.25rem}",
      "#" + ID + " summary{cursor:pointer;color:#0b4a8b;text-decoration:underline}",
      "#" + ID + " pre{white-space:pre-wrap;margin:.35rem 0 0;font:inherit;color:#1b1b1b;background:none;border:0;padding:0}",
      "#" + ID + " button{float:right;font:inherit;color:#1b1b1b;background:#f1f1f1;border:1px solid #595959;",
      "border-radius:.25rem;padding:.15rem .6rem;cursor:pointer}",
      "#" + ID + " button:focus-visible,#" + ID + " summary:focus-visible{outline:3px solid #0b4a8b;outline-offset:2px}"
    ].join("");
    document.head.appendChild(css);
  }

  function render(findings) {
    var old = document.getElementById(ID);
    if (old) { old.parentNode.removeChild(old); }
    if (!findings.length || hidden) { return; }
    style();
    var box = element("section", {id: ID, role: "alert", lang: "en", dir: "ltr",
                                  "aria-labelledby": ID + "-title"});
    var close = element("button", {type: "button"}, "Hide");
    close.addEventListener("click", function () { hidden = true; render([]); });
    box.appendChild(close);
    var errors = findings.filter(function (f) { return f.severity === "error"; }).length;
    var built = findings.filter(function (f) { return f.source === "build"; }).length;
    var origin = built === 0 ? "curriculum check" : built === findings.length ? "the build" :
      "curriculum check and the build";
    var title = errors + " error" + (errors === 1 ? "" : "s") + ", " + (findings.length - errors) + " warning" +
      (findings.length - errors === 1 ? "" : "s") + " from " + origin;
    box.appendChild(element("h2", {id: ID + "-title"}, title));
    var list = element("ul", {});
    findings.forEach(function (f) {
      var item = element("li", {"class": "finding " + f.severity, "data-code": f.code});
      if (f.path) {
        item.appendChild(element("code", {"class": "location"}, f.path + ":" + f.line + ":" + f.column));
        item.appendChild(document.createTextNode(" "));
      }
      item.appendChild(element("code", {"class": "code"}, f.code));
      item.appendChild(document.createTextNode(" (" + f.severity + ") " + f.message));
      if (f.explain) {
        var more = element("details", {});
        more.appendChild(element("summary", {}, "Explain " + f.code));
        more.appendChild(element("pre", {}, f.explain));
        item.appendChild(more);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }

  function poll() {
    fetch(STATUS, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (status) {
      if (seenVersion === null) { seenVersion = status.version; }
      else if (status.version !== seenVersion) { location.reload(); return; }
      var key = JSON.stringify(status.findings);
      if (key !== shownKey) {
        shownKey = key;
        hidden = false;
        render(status.findings);
      }
    }).catch(function () {});
  }

  poll();
  setInterval(poll, 1000);
})();
