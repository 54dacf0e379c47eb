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
  // Signing in again (in another tab, after the session ran out) gives the
  // browser a new CSRF token, and a form of a page opened before it would be
  // refused. Each page notes the sign-in it was made under; when another tab
  // records a newer one, this page fetches the current token. A save refused
  // for a stale token all the same is sent again, once, with the fresh one.
  var generation = 0;  // how many times this page has renewed its token
  var renewing = null;
  function setToken(token) {
    var headers = {};
    try { headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}"); } catch (err) { headers = {}; }
    headers["X-CSRFToken"] = token;
    document.body.setAttribute("hx-headers", JSON.stringify(headers));
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (i) { i.value = token; });
    generation += 1;
  }
  function refreshToken() {
    var url = document.body.dataset.csrfUrl;
    if (!url) { return Promise.resolve(null); }
    if (!renewing) {
      renewing = fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && data.token) { setToken(data.token); } return data; })
        .catch(function () { return null; })
        .finally(function () { renewing = null; });
    }
    return renewing;
  }
  var SIGNIN_KEY = "tidtam:signin";
  window.addEventListener("storage", function (e) {
    if (e.key === SIGNIN_KEY && e.newValue && e.newValue !== document.body.dataset.signin) { refreshToken(); }
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.detail.xhr) { e.detail.xhr.tidtamGeneration = generation; }
  });
  function resend(elt) {
    var trigger = (elt.getAttribute("hx-trigger") || "").indexOf("change") >= 0 ? "change" : "submit";
    htmx.trigger(elt, trigger);
  }
  document.addEventListener("htmx:beforeSwap", function (e) {
    // detail.elt is the swap's target here; the form that sent it is the request's.
    var xhr = e.detail.xhr, elt = (e.detail.requestConfig && e.detail.requestConfig.elt) || e.detail.elt;
    if (!xhr || xhr.status !== 403 || xhr.getResponseHeader("X-Tidtam-Csrf") !== "stale") { return; }
    var sentWith = xhr.tidtamGeneration || 0;
    if (sentWith < generation) { e.detail.shouldSwap = false; resend(elt); return; }  // renewed since
    if (elt.tidtamResentAt === generation) { return; }  // renewed and still refused: say so
    e.detail.shouldSwap = false;
    var target = e.detail.target, answer = xhr.responseText;
    refreshToken().then(function (data) {
      if (data && data.signed_in && generation > sentWith) {
        if (elt.tidtamResentAt !== generation) { elt.tidtamResentAt = generation; resend(elt); }
      } else if (target) {
        target.innerHTML = answer;
      }
    });
  });
  // Filters and the year switcher apply as soon as a choice changes (the
  // button stays for those without JavaScript).
  document.addEventListener("change", function (e) {
    var form = e.target.form;
    if (form && form.matches("form[data-autosubmit]") && e.target.matches("select, input[type=checkbox]")) { form.requestSubmit(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var mine = document.body.dataset.signin;
    if (mine && localStorage.getItem(SIGNIN_KEY) !== mine) { localStorage.setItem(SIGNIN_KEY, mine); }
  });
  document.addEventListener("DOMContentLoaded", function () { restore(document); });
  // A filter that applies as soon as it is chosen (<select data-autosubmit>):
  // an onchange="…" attribute would be refused by the Content Security Policy.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
  });
})();
