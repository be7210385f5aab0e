// grille self-assessment, what its two pages share: the anonymous page
// (ratings kept in the browser, self-assessment.js) and the logged-in
// candidate's (ratings saved on the server, candidate-self-assessment.js).
// It reads and sets the ratings of the form, counts progress, writes the
// export file and reads an imported one, and wires the export, import and
// clear buttons; each page's script says what saving means by passing its
// own functions to `grilleSelfAssessment(page)`:
// - `page.changed(sheet)`: a rating was chosen;
// - `page.imported(sheet)`: an exported file was read into the form;
// - `page.clearQuestion(data)`: the question asked before clearing;
// - `page.cleared(sheet)`: every rating was removed from the form;
// - `page.errorKind`: the kind of message an unreadable file gets.
// Every message comes from the page's data-* attributes, which the server
// fills from the translation catalogue.
window.grilleSelfAssessment = function (page) {
  "use strict";
  var form = document.getElementById("self-assessment");
  var toolbar = document.getElementById("toolbar");
  if (!form || !toolbar) {
    return null;
  }
  var data = toolbar.dataset;
  var total = Number(data.total);
  var progress = document.getElementById("progress");
  var progressBar = document.getElementById("progress-bar");
  var status = document.getElementById("save-status");

  // `kind` (ok, error, "" for neutral) styles the message; without it the
  // style stays as it is.
  function say(message, kind) {
    status.textContent = message;
    if (kind !== undefined) {
      status.className = kind ? "save-" + kind : "muted";
    }
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

  // The export format, also what the anonymous page keeps in the browser.
  function exportDocument() {
    return {
      format: "grille-self-assessment",
      version: 1,
      catalogue: data.catalogue,
      saved_at: new Date().toISOString(),
      ratings: currentRatings()
    };
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

  var sheet = {
    data: data,
    status: status,
    say: say,
    currentRatings: currentRatings,
    applyRatings: applyRatings,
    updateProgress: updateProgress,
    exportDocument: exportDocument,
    ratingsFrom: ratingsFrom
  };

  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") {
      page.changed(sheet);
    }
  });

  document.getElementById("export").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(exportDocument(), null, 2) + "\n"], { type: "application/json" });
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
      page.imported(sheet);
    }).catch(function () {
      say(data.importError, page.errorKind);
    });
    event.target.value = "";
  });

  document.getElementById("clear").addEventListener("click", function () {
    if (!window.confirm(page.clearQuestion(data))) {
      return;
    }
    applyRatings({});
    page.cleared(sheet);
  });

  ["export", "import-label", "clear"].forEach(function (id) {
    document.getElementById(id).hidden = false;
  });
  // On a phone the sticky toolbar keeps only the progress and the main
  // button; the other actions open under this toggle (the stylesheet
  // shows it at narrow widths only).
  var toolbar = document.getElementById("toolbar");
  var toggle = document.getElementById("toolbar-toggle");
  if (toolbar && toggle) {
    toolbar.classList.add("collapsed");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toolbar.classList.toggle("collapsed") === false;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  return sheet;
};
