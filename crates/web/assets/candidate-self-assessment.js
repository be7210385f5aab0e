// grille self-assessment of a logged-in candidate: the ratings are saved
// on the server (PUT /api/me/self-assessment with If-Match, the version the
// page last saw) on every change, so that a sitting continues on another
// device. A version changed elsewhere meanwhile is refused by the server
// (409): the page then says so and stops saving, so that nothing is
// overwritten silently. Progress, export and import work as in the
// anonymous page; every message comes from the page's data-* attributes.
(function () {
  "use strict";
  var form = document.getElementById("self-assessment");
  var toolbar = document.getElementById("toolbar");
  if (!form || !toolbar || !toolbar.dataset.api) {
    return;
  }
  var data = toolbar.dataset;
  var total = Number(data.total);
  var progress = document.getElementById("progress");
  var progressBar = document.getElementById("progress-bar");
  var status = document.getElementById("save-status");
  var versionInput = document.getElementById("sa-version");
  var version = data.version || "0";
  var saving = false;
  var dirty = false;
  var conflicted = false;
  var timer = null;

  function say(message, kind) {
    status.textContent = message;
    status.className = kind ? "save-" + kind : "muted";
  }

  function currentRatings() {
    var ratings = {};
    form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      ratings[input.name] = Number(input.value);
    });
    return ratings;
  }

  function applyRatings(ratings) {
    form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      input.checked = false;
    });
    Object.keys(ratings).forEach(function (criterion) {
      var input = document.getElementById("r-" + criterion + "-" + ratings[criterion]);
      if (input) {
        input.checked = true;
      }
    });
  }

  function updateProgress() {
    var done = form.querySelectorAll("input[type=radio]:checked").length;
    progress.textContent = data.progressTemplate.replace("{done}", String(done)).replace("{total}", String(total));
    progressBar.value = done;
    progressBar.textContent = String(done);
    document.querySelectorAll(".competence-count").forEach(function (counter) {
      var competence = counter.dataset.competence;
      var rated = form.querySelectorAll(
        'fieldset[data-competence="' + competence + '"] input[type=radio]:checked'
      ).length;
      counter.textContent = rated + " / " + counter.dataset.total;
      counter.classList.toggle("complete", rated === Number(counter.dataset.total));
    });
  }

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
    say(data.saving, "");
    fetch(data.api, {
      method: "PUT",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "If-Match": '"' + version + '"',
        "X-CSRF-Token": data.csrf
      },
      body: JSON.stringify({ ratings: currentRatings() })
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (saved) {
          version = String(saved.version);
          versionInput.value = version;
          toolbar.dataset.version = version;
          say(data.savedServer + " " + new Date().toLocaleTimeString((document.documentElement.lang || "fr") + "-CH"), "ok");
        });
      }
      if (response.status === 409) {
        conflicted = true;
        say(data.conflict, "error");
        return null;
      }
      if (response.status === 401) {
        window.location.reload();
        return null;
      }
      dirty = true;
      say(data.offline, "error");
      return null;
    }).catch(function () {
      dirty = true;
      say(data.offline, "error");
    }).then(function () {
      saving = false;
      if (dirty && !conflicted && status.className !== "save-error") {
        save();
      }
    });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 300);
  }

  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") {
      updateProgress();
      later();
    }
  });

  // Accepts only our own export format, with levels 1 to 4.
  function ratingsFrom(text) {
    var parsed = JSON.parse(text);
    if (!parsed || parsed.format !== "grille-self-assessment" || typeof parsed.ratings !== "object") {
      throw new Error("format");
    }
    var ratings = {};
    Object.keys(parsed.ratings).forEach(function (criterion) {
      var level = Number(parsed.ratings[criterion]);
      if (level >= 1 && level <= 4 && Math.floor(level) === level) {
        ratings[criterion] = level;
      }
    });
    return ratings;
  }

  document.getElementById("export").addEventListener("click", function () {
    var file = {
      format: "grille-self-assessment",
      version: 1,
      catalogue: data.catalogue,
      saved_at: new Date().toISOString(),
      ratings: currentRatings()
    };
    var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "grille-self-assessment-" + new Date().toISOString().slice(0, 10) + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  });

  document.getElementById("import").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file) {
      return;
    }
    file.text().then(function (text) {
      applyRatings(ratingsFrom(text));
      updateProgress();
      save();
    }).catch(function () {
      say(data.importError, "error");
    });
    event.target.value = "";
  });

  document.getElementById("clear").addEventListener("click", function () {
    if (!window.confirm(data.confirmClearServer)) {
      return;
    }
    applyRatings({});
    updateProgress();
    save();
  });

  ["export", "import-label", "clear"].forEach(function (id) {
    document.getElementById(id).hidden = false;
  });
  updateProgress();
})();
