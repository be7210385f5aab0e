// grille scoring form: saves the examiner's draft automatically through the
// evaluations API (PUT .../evaluations/mine with If-Match: the version the
// page holds), keeps a copy in localStorage until the server confirms it, so
// that a reload or a lost connection never erases work, and shows the
// points and the grade as the examiner works (computed by the server's
// preview endpoint, the same function as the engine). A stale save (another
// tab saved first) gets the server's 409 and a clear message, never a silent
// overwrite. Without this script the form still works: its buttons post it.
// Every message comes from the form's data-* attributes (translations).
(function () {
  "use strict";
  var form = document.getElementById("scoring-form");
  if (!form || !window.fetch) {
    return;
  }
  var data = form.dataset;
  var api = data.api;
  var storageKey = data.storageKey;
  var versionInput = document.getElementById("version");
  var csrf = form.querySelector("input[name=csrf]").value;
  var status = document.getElementById("save-status");
  var liveAnswered = document.getElementById("live-answered");
  var livePoints = document.getElementById("live-points");
  var liveGrade = document.getElementById("live-grade");
  var liveGradeLabel = document.getElementById("live-grade-label");
  var livePartial = document.getElementById("live-grade-partial");

  // A grade as the pages print it: one decimal at least ("5" → "5.0").
  function gradeText(grade) {
    var text = String(grade);
    return /^\d+$/.test(text) ? text + ".0" : text;
  }
  var saveTimer = null;
  var previewTimer = null;
  var retryTimer = null;
  var inFlight = null;
  var dirty = false;
  var conflict = false;
  var submitting = false;

  function say(message, kind) {
    status.textContent = message;
    status.className = kind || "";
  }

  function criteria() {
    return Array.prototype.map.call(form.querySelectorAll("fieldset.rubric-criterion:not(.left-out)"), function (fieldset) {
      return fieldset.id.replace(/^criterion-/, "");
    });
  }

  function collect() {
    var answers = criteria().map(function (id) {
      var checked = form.querySelector("input[name='points-" + id + "']:checked");
      var remark = document.getElementById("remark-" + id).value;
      var na = checked && checked.value === "na";
      return {
        criterion: id,
        points: checked && !na ? checked.value : null,
        not_assessable: !!na,
        remark: remark.trim() === "" ? null : remark
      };
    });
    var remark = document.getElementById("remark").value;
    return { answers: answers, remark: remark.trim() === "" ? null : remark };
  }

  function apply(content) {
    (content.answers || []).forEach(function (answer) {
      var value = answer.not_assessable ? "na" : answer.points;
      form.querySelectorAll("input[name='points-" + answer.criterion + "']").forEach(function (input) {
        input.checked = value !== null && input.value === String(value);
      });
      var remark = document.getElementById("remark-" + answer.criterion);
      if (remark) {
        remark.value = answer.remark || "";
      }
    });
    document.getElementById("remark").value = content.remark || "";
  }

  function storeLocal(isDirty) {
    try {
      localStorage.setItem(storageKey, JSON.stringify({
        base: versionInput.value, dirty: isDirty, content: collect(), at: new Date().toISOString()
      }));
    } catch (e) {
      // Private mode or full storage: the server copy still counts.
    }
  }

  function readLocal() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function headers(json) {
    var h = { "X-CSRF-Token": csrf, "Accept": "application/json" };
    if (json) {
      h["Content-Type"] = "application/json";
    }
    return h;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] !== undefined ? values[name] : all;
    });
  }

  function preview() {
    fetch(api + "/evaluations/preview", {
      method: "POST", headers: headers(true), body: JSON.stringify(collect()), credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (result) {
      if (!result) {
        return;
      }
      liveAnswered.textContent = fill(data.msgAnswered, { answered: result.answered, total: result.total });
      livePoints.textContent = fill(data.msgPoints, { points: result.points, max: result.max_points });
      liveGrade.textContent = result.grade ? gradeText(result.grade) : "—";
      liveGradeLabel.textContent = result.complete ? data.msgFinal : data.msgProvisional;
      // A grade from some criteria only says so until every one is answered.
      livePartial.textContent = result.grade && !result.complete
        ? fill(data.msgPartial, { answered: result.answered, total: result.total }) : "";
    }).catch(function () {
      // Offline: the totals come back with the connection.
    });
  }

  function save() {
    if (conflict) {
      return Promise.resolve(false);
    }
    if (inFlight) {
      return inFlight.then(function () { return dirty ? save() : true; });
    }
    clearTimeout(saveTimer);
    dirty = false;
    var h = headers(true);
    if (versionInput.value) {
      h["If-Match"] = "\"" + versionInput.value + "\"";
    }
    say(data.msgSaving);
    inFlight = fetch(api + "/evaluations/mine", {
      method: "PUT", headers: h, body: JSON.stringify(collect()), credentials: "same-origin"
    }).then(function (response) {
      if (response.ok) {
        var etag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
        if (etag) {
          versionInput.value = etag;
        }
        storeLocal(dirty);
        // The page's language, not the browser's: 24-hour time on a French page.
        say(data.msgSaved + " " + new Date().toLocaleTimeString((document.documentElement.lang || "fr") + "-CH"), "");
        return true;
      }
      dirty = true;
      if (response.status === 409) {
        conflict = true;
        say(data.msgConflict, "error");
      } else if (response.status === 401) {
        say(data.msgExpired, "error");
      } else {
        say(data.msgError, "error");
      }
      return false;
    }).catch(function () {
      dirty = true;
      say(data.msgOffline, "warning");
      clearTimeout(retryTimer);
      retryTimer = setTimeout(save, 10000);
      return false;
    }).then(function (ok) {
      inFlight = null;
      return ok;
    });
    return inFlight;
  }

  function changed() {
    if (submitting) {
      return;
    }
    dirty = true;
    storeLocal(true);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 800);
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, 250);
    if (conflict) {
      say(data.msgConflict, "error");
    }
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      changed();
    }
  });
  window.addEventListener("online", function () {
    if (dirty) {
      save();
    }
  });

  // The buttons post the form (the server saves and, for "submit", submits):
  // let a save in flight finish first so that both do not race, and mark
  // the local copy as handed over.
  form.addEventListener("submit", function (event) {
    if (conflict) {
      event.preventDefault();
      say(data.msgConflict, "error");
      return;
    }
    clearTimeout(saveTimer);
    if (inFlight) {
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        if (!conflict) {
          storeLocal(false);
          submitting = true;
          form.requestSubmit(submitter);
        }
      });
      return;
    }
    submitting = true;
    storeLocal(false);
  });

  // On load: a local copy the server never confirmed is restored (and
  // saved) when it was made on top of the version the page shows.
  var local = readLocal();
  if (local && local.dirty && local.content) {
    if (String(local.base) === String(versionInput.value)) {
      apply(local.content);
      say(data.msgRestored, "warning");
      dirty = true;
      preview();
      save().then(function (ok) {
        if (ok) {
          say(data.msgRestored + " " + data.msgSaved, "");
        }
      });
    } else {
      say(data.msgStaleCopy, "warning");
      storeLocal(false);
    }
  } else {
    storeLocal(false);
  }
})();
