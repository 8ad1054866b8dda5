/* Static widgets of the chapter2 web edition: no kernel, no server.
 *
 * Each widget's figures were drawn when the site was built (tools/site_frames.py)
 * by the notebook's own functions. Its manifest, inline in the page so the site
 * works from file:// too, maps the controls' positions to a frame. Moving a control
 * shows that frame in place of the stored figure of the same cell. When the
 * combination was not drawn (the controls move one at a time), the other controls
 * go back to their start values, as the widget's note says.
 */
(function () {
  "use strict";

  function setup(widget) {
    var data = JSON.parse(widget.querySelector("script.c2-manifest").textContent);
    var cell = widget.closest(".cell") || widget.parentElement;
    var img = cell.querySelector("img.c2-live");
    var text = widget.querySelector("pre.c2-text");
    var inputs = Array.prototype.slice.call(widget.querySelectorAll(".c2-control input, .c2-control select"));
    if (!img || inputs.length !== data.controls.length) {
      widget.classList.add("c2-broken");
      return;
    }

    function position(input) {
      if (input.type === "checkbox") { return input.checked ? 1 : 0; }
      return parseInt(input.value, 10);
    }

    function setPosition(input, p) {
      if (input.type === "checkbox") { input.checked = p === 1; } else { input.value = String(p); }
    }

    function keyOf(positions) {
      return positions.map(function (p, i) { return data.controls[i].indices[p]; }).join("-");
    }

    function describe(positions) {
      return positions.map(function (p, i) {
        return data.controls[i].description + " " + data.controls[i].labels[p];
      }).join(", ");
    }

    function show(moved) {
      var positions = inputs.map(position);
      if (!(keyOf(positions) in data.frames)) {
        positions = positions.map(function (p, i) { return i === moved ? p : data.controls[i].initial; });
        positions.forEach(function (p, i) { setPosition(inputs[i], p); });
      }
      var frame = data.frames[keyOf(positions)];
      inputs.forEach(function (input, i) {
        var label = data.controls[i].labels[positions[i]];
        if (input.type === "range") {
          input.setAttribute("aria-valuetext", label);
          var out = widget.querySelector('output[for="' + input.id + '"]');
          if (out) { out.textContent = label; }
        }
      });
      if (!frame) { return; }
      if (frame.src) {
        img.src = data.base + frame.src;
        img.alt = data.alt + " (Shown for " + describe(positions) + ".)";
        img.hidden = false;
        text.hidden = true;
      } else {
        text.textContent = frame.text;
        text.hidden = false;
        img.hidden = true;
      }
    }

    inputs.forEach(function (input, i) {
      input.addEventListener(input.type === "range" ? "input" : "change", function () { show(i); });
    });
    widget.classList.add("c2-ready");
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".c2-widget:not(.c2-frozen)"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
