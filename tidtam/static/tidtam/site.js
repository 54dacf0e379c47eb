// Keep what the user types even when the network or the session drops:
// every autosaved field is mirrored into localStorage until the server
// confirms the save, and offered back if the page is reloaded.
(function () {
  "use strict";
  function key(el) { return "tidtam:" + location.pathname + ":" + el.name + ":" + (el.dataset.key || ""); }
  function restore(root) {
    root.querySelectorAll("[data-autosave]").forEach(function (el) {
      var saved = localStorage.getItem(key(el));
      if (saved !== null && saved !== el.value) {
        var note = document.createElement("div");
        note.className = "finding";
        note.textContent = "มีข้อความที่พิมพ์ไว้แต่ยังไม่ได้บันทึกในเครื่องนี้ ";
        var btn = document.createElement("button");
        btn.type = "button";
        btn.textContent = "นำข้อความนั้นกลับมา";
        btn.addEventListener("click", function () {
          el.value = saved;
          el.dispatchEvent(new Event("change", { bubbles: true }));
          note.remove();
        });
        note.appendChild(btn);
        el.parentNode.insertBefore(note, el);
      }
    });
  }
  document.addEventListener("input", function (e) {
    var el = e.target;
    if (el.matches && el.matches("[data-autosave]")) { localStorage.setItem(key(el), el.value); }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var el = e.detail.elt;
    if (!el.matches) { return; }
    var form = el.closest("form");
    if (e.detail.xhr && e.detail.xhr.status === 200 && form) {
      form.querySelectorAll("[data-autosave]").forEach(function (f) { localStorage.removeItem(key(f)); });
    }
  });
  document.addEventListener("htmx:sendError", function (e) {
    var target = document.querySelector(e.detail.elt.getAttribute("hx-target") || "body");
    if (target) { target.innerHTML = '<span class="save-error">เชื่อมต่อเครือข่ายไม่ได้ ข้อความยังอยู่ในช่องและสำรองไว้ในเครื่องนี้ ระบบจะบันทึกอีกครั้งเมื่อพิมพ์ต่อหรือกดบันทึก</span>'; }
  });
  // A form that takes a while (reading a long report) says so, and can't be sent twice.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches || !form.matches("form[data-busy]")) { return; }
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    var note = form.querySelector(".busy");
    if (note) { note.hidden = false; note.textContent = form.dataset.busy; }
  });
  document.addEventListener("DOMContentLoaded", function () { restore(document); });
  // A filter that applies as soon as it is chosen (<select data-autosubmit>):
  // an onchange="…" attribute would be refused by the Content Security Policy.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
  });
})();
