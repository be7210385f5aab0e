// Shown with the login page: whoever used this browser before has left
// (logged out, or the login expired), so the offline copies of the
// examiner's pages are deleted. The form's journal of unsent marks stays
// in localStorage: it is sent once its examiner logs in again.
(function () {
  "use strict";
  if (window.caches) {
    caches.delete("grille-examiner-v1").catch(function () {});
  }
})();
