// grille self-assessment of a logged-in candidate: the ratings are saved
// on the server (PUT /api/me/self-assessment with If-Match, the version the
// page last saw) on every change, so that a sitting continues on another
// device. A version changed elsewhere meanwhile is refused by the server
// (409): the page then says so and stops saving, so that nothing is
// overwritten silently. Progress, export and import come from
// self-assessment-form.js, loaded before this script, as on the anonymous
// page; every message comes from the page's data-* attributes.
(function () {
  "use strict";
  var toolbar = document.getElementById("toolbar");
  if (!toolbar || !toolbar.dataset.api || !window.grilleSelfAssessment) {
    return;
  }
  var data = toolbar.dataset;
  var versionInput = document.getElementById("sa-version");
  var version = data.version || "0";
  var saving = false;
  var dirty = false;
  var conflicted = false;
  var timer = null;
  var sheet = null;

  function save() {
    if (conflicted) {
      return;
    }
    if (saving) {
      dirty = true;
      return;
    }
    saving = true;
    dirty = false;
    sheet.say(data.saving, "");
    fetch(data.api, {
      method: "PUT",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "If-Match": '"' + version + '"',
        "X-CSRF-Token": data.csrf
      },
      body: JSON.stringify({ ratings: sheet.currentRatings() })
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (saved) {
          version = String(saved.version);
          versionInput.value = version;
          toolbar.dataset.version = version;
          sheet.say(data.savedServer + " " + new Date().toLocaleTimeString((document.documentElement.lang || "fr") + "-CH"), "ok");
        });
      }
      if (response.status === 409) {
        conflicted = true;
        sheet.say(data.conflict, "error");
        return null;
      }
      if (response.status === 401) {
        window.location.reload();
        return null;
      }
      dirty = true;
      sheet.say(data.offline, "error");
      return null;
    }).catch(function () {
      dirty = true;
      sheet.say(data.offline, "error");
    }).then(function () {
      saving = false;
      if (dirty && !conflicted && sheet.status.className !== "save-error") {
        save();
      }
    });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 300);
  }

  sheet = window.grilleSelfAssessment({
    changed: function (sheet) {
      sheet.updateProgress();
      later();
    },
    imported: function (sheet) {
      sheet.updateProgress();
      save();
    },
    clearQuestion: function (data) {
      return data.confirmClearServer;
    },
    cleared: function (sheet) {
      sheet.updateProgress();
      save();
    },
    errorKind: "error"
  });
  if (sheet) {
    sheet.updateProgress();
  }
})();
