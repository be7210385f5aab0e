// grille self-assessment, anonymous page: keeps the candidate's ratings in
// localStorage on every change and restores them on load; progress, export
// and import come from self-assessment-form.js, loaded before this script.
// The page works without either (one sitting, no saving).
(function () {
  "use strict";
  var toolbar = document.getElementById("toolbar");
  if (!toolbar || !window.grilleSelfAssessment) {
    return;
  }
  var storageKey = "grille.self-assessment." + toolbar.dataset.catalogue;

  function save(sheet) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(sheet.exportDocument()));
      sheet.say(sheet.data.saved);
    } catch (error) {
      sheet.say(String(error));
    }
  }

  var sheet = window.grilleSelfAssessment({
    changed: function (sheet) {
      save(sheet);
      sheet.updateProgress();
    },
    imported: function (sheet) {
      save(sheet);
      sheet.updateProgress();
      sheet.say(sheet.data.imported);
    },
    clearQuestion: function (data) {
      return data.confirmClear;
    },
    cleared: function (sheet) {
      window.localStorage.removeItem(storageKey);
      sheet.updateProgress();
      sheet.say(sheet.data.cleared);
    },
    errorKind: undefined
  });
  if (!sheet) {
    return;
  }
  try {
    var saved = window.localStorage.getItem(storageKey);
    if (saved) {
      sheet.applyRatings(sheet.ratingsFrom(saved));
      sheet.say(sheet.data.restored);
    }
  } catch (error) {
    // A damaged entry is ignored; the next change overwrites it.
  }
  sheet.updateProgress();
})();
