// grille self-assessment: keeps the candidate's ratings in localStorage on
// every change, restores them on load, counts progress, and exports or
// imports them as a JSON file. The page works without it (one sitting, no
// saving); every message comes from the page's data-* attributes, which the
// server fills from the translation catalogue.
(function () {
  "use strict";
  var form = document.getElementById("self-assessment");
  var toolbar = document.getElementById("toolbar");
  if (!form || !toolbar) {
    return;
  }
  var catalogueId = toolbar.dataset.catalogue;
  var storageKey = "grille.self-assessment." + catalogueId;
  var total = Number(toolbar.dataset.total);
  var progress = document.getElementById("progress");
  var progressBar = document.getElementById("progress-bar");
  var status = document.getElementById("save-status");

  function say(message) {
    status.textContent = message;
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
    progress.textContent = toolbar.dataset.progressTemplate
      .replace("{done}", String(done))
      .replace("{total}", String(total));
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

  function document_() {
    return {
      format: "grille-self-assessment",
      version: 1,
      catalogue: catalogueId,
      saved_at: new Date().toISOString(),
      ratings: currentRatings()
    };
  }

  function save() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(document_()));
      say(toolbar.dataset.saved);
    } catch (error) {
      say(String(error));
    }
  }

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

  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") {
      save();
      updateProgress();
    }
  });

  document.getElementById("export").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(document_(), null, 2) + "\n"], { type: "application/json" });
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
      save();
      updateProgress();
      say(toolbar.dataset.imported);
    }).catch(function () {
      say(toolbar.dataset.importError);
    });
    event.target.value = "";
  });

  document.getElementById("clear").addEventListener("click", function () {
    if (!window.confirm(toolbar.dataset.confirmClear)) {
      return;
    }
    window.localStorage.removeItem(storageKey);
    applyRatings({});
    updateProgress();
    say(toolbar.dataset.cleared);
  });

  ["export", "import-label", "clear"].forEach(function (id) {
    document.getElementById(id).hidden = false;
  });

  try {
    var saved = window.localStorage.getItem(storageKey);
    if (saved) {
      applyRatings(ratingsFrom(saved));
      say(toolbar.dataset.restored);
    }
  } catch (error) {
    // A damaged entry is ignored; the next change overwrites it.
  }
  updateProgress();
})();
