// The live preview beside an exam-document editor: while the board types,
// the form is sent to /documents/preview (nothing is saved) and the panel
// shows the points → grade table, the coverage or the decisions, or the
// problems a save would report. Without script, the editor's "preview"
// button shows the same panel after a round trip.
(function () {
  'use strict';
  var form = document.getElementById('document-form');
  var panel = document.getElementById('live-preview');
  if (!form || !panel || !window.fetch || !window.FormData || !window.URLSearchParams) { return; }
  var timer = null;
  var sent = 0;
  function refresh() {
    var ticket = ++sent;
    panel.setAttribute('aria-busy', 'true');
    fetch(panel.getAttribute('data-url'), {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
      headers: { 'Accept': 'text/html' }
    }).then(function (response) {
      return response.ok ? response.text() : Promise.reject(response.status);
    }).then(function (html) {
      // An older answer that arrives late never replaces a newer one.
      if (ticket === sent) { panel.innerHTML = html; }
    }).catch(function () {
      if (ticket === sent) { panel.setAttribute('data-stale', 'true'); }
    }).then(function () {
      if (ticket === sent) { panel.removeAttribute('aria-busy'); }
    });
  }
  function later() {
    clearTimeout(timer);
    panel.removeAttribute('data-stale');
    timer = setTimeout(refresh, 350);
  }
  form.addEventListener('input', later);
  form.addEventListener('change', later);
  var scheme = document.getElementById('preview-scheme');
  if (scheme) { scheme.addEventListener('change', later); }
}());
