// Pin a child's home from the phone: a progressive enhancement of the typed
// latitude/longitude. Without script (or without a location) the fields stay
// as they are; with it, one tap fills them from the browser's geolocation.
(function () {
  "use strict";
  function start() {
    if (!("geolocation" in navigator)) { return; }
    document.querySelectorAll(".geo-here").forEach(function (btn) {
      var box = btn.closest("fieldset");
      var status = box.querySelector(".geo-status");
      btn.hidden = false;
      btn.addEventListener("click", function () {
        status.textContent = "กำลังหาตำแหน่ง…";
        navigator.geolocation.getCurrentPosition(function (pos) {
          box.querySelector(".geo-lat").value = pos.coords.latitude.toFixed(6);
          box.querySelector(".geo-lng").value = pos.coords.longitude.toFixed(6);
          status.textContent = "ได้ตำแหน่งแล้ว (คลาดเคลื่อนประมาณ " + Math.round(pos.coords.accuracy) + " เมตร)";
        }, function () {
          status.textContent = "หาตำแหน่งไม่ได้ กรุณาพิมพ์ละติจูดและลองจิจูดเอง";
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
