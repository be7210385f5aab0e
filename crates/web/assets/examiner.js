// grille scoring form. The rule it keeps: an examiner never loses a mark.
//
// Every change is written at once to a journal in localStorage (the
// content, the server version it was made on, and whether the server has
// confirmed it) and only marked confirmed when the server answered a save
// of exactly that content. The form saves in place through the
// evaluations API (PUT .../evaluations/mine with If-Match), never by a
// page load, so a lost connection, an expired login or a conflict never
// navigates away from what was typed:
// - offline (or the server down): the journal keeps everything, saves are
//   retried with a growing pause and at once when the browser is back
//   online; a service worker (/examiner/sw.js) keeps the pages opened so a
//   reload works without a connection;
// - login expired: a dialog asks for the password in place, then sends
//   what waited;
// - another tab or device saved first (409), or the journal holds work made
//   on an older version: both versions are shown side by side and the
//   examiner chooses; nothing is dropped silently;
// - "Submit" asks for confirmation, saves, submits through the API, and
//   only then leaves the page.
// The live totals come from the server's preview (the engine's function).
// Without this script the form still works: its buttons post it.
// Every message comes from the form's data-* attributes (translations).
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/examiner/sw.js", { scope: "/examiner" }).catch(function () {
      // No offline copy of the pages; the journal still keeps the input.
    });
  }
  var form = document.getElementById("scoring-form");
  if (!form || !window.fetch || !window.JSON) {
    return;
  }
  var data = form.dataset;
  var api = data.api;
  var storageKey = data.storageKey;
  var versionInput = document.getElementById("version");
  var csrfInput = form.querySelector("input[name=csrf]");
  var status = document.getElementById("save-status");
  var liveAnswered = document.getElementById("live-answered");
  var livePoints = document.getElementById("live-points");
  var liveGrade = document.getElementById("live-grade");
  var liveGradeLabel = document.getElementById("live-grade-label");
  var livePartial = document.getElementById("live-grade-partial");
  var conflictPanel = document.getElementById("conflict-panel");
  var loginDialog = document.getElementById("login-dialog");
  var submitDialog = document.getElementById("submit-dialog");

  var saveTimer = null;
  var previewTimer = null;
  var retryTimer = null;
  var retryDelay = 2000;
  var inFlight = null;
  var dirty = false;
  // While a conflict or an expired login waits for the examiner, no save
  // is sent (the journal keeps everything).
  var blocked = null;
  var afterLogin = [];
  // The API's refusals in the page's language, by code (the API's own
  // `detail` is French): each text with its {name} placeholders, and the
  // session states' labels under "state.<name>".
  var refusals = {};
  try {
    refusals = JSON.parse(data.refusals || "{}");
  } catch (ignored) {
    refusals = {};
  }

  // A grade as the pages print it: one decimal at least ("5" → "5.0").
  function gradeText(grade) {
    var text = String(grade);
    return /^\d+$/.test(text) ? text + ".0" : text;
  }

  function say(message, kind) {
    status.textContent = message;
    status.className = kind || "";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] !== undefined ? values[name] : all;
    });
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
    // The language the remarks are written in (the form's choice).
    var language = document.getElementById("remark-language");
    return {
      answers: answers,
      remark: remark.trim() === "" ? null : remark,
      remark_language: language ? language.value : undefined
    };
  }

  function apply(content) {
    criteria().forEach(function (id) {
      form.querySelectorAll("input[name='points-" + id + "']").forEach(function (input) {
        input.checked = false;
      });
      document.getElementById("remark-" + id).value = "";
    });
    (content.answers || []).forEach(function (answer) {
      var value = answer.not_assessable ? "na" : answer.points;
      form.querySelectorAll("input[name='points-" + answer.criterion + "']").forEach(function (input) {
        input.checked = value !== null && value !== undefined && input.value === String(value);
      });
      var remark = document.getElementById("remark-" + answer.criterion);
      if (remark) {
        remark.value = answer.remark || "";
      }
    });
    document.getElementById("remark").value = content.remark || "";
    var language = document.getElementById("remark-language");
    if (language && content.remark_language) {
      language.value = content.remark_language;
      // The fields' `lang` follows (not a change: nothing to save).
      language.dispatchEvent(new Event("grille:language"));
    }
  }

  // ------------------------------------------------------------ journal

  function writeJournal(isDirty, content) {
    try {
      localStorage.setItem(storageKey, JSON.stringify({
        base: versionInput.value, dirty: isDirty, content: content || collect(), at: new Date().toISOString()
      }));
    } catch (e) {
      say(data.msgNoStorage, "warning");
    }
  }

  function readJournal() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function headers(json) {
    var h = { "X-CSRF-Token": csrfInput.value, "Accept": "application/json" };
    if (json) {
      h["Content-Type"] = "application/json";
    }
    return h;
  }

  function problemOf(response) {
    return response.json().catch(function () { return {}; });
  }

  // A refusal as the reader reads it: its code's text in the page's
  // language, else the API's sentence, else the generic error.
  function refusalText(problem) {
    // On a French page the API's own sentence is the most precise.
    var french = (document.documentElement.lang || "fr").slice(0, 2) === "fr";
    if (french && problem && problem.detail) {
      return problem.detail;
    }
    var text = problem && problem.code ? refusals[problem.code] : null;
    if (!text) {
      return (problem && problem.detail) || data.msgError;
    }
    var args = {};
    Object.keys(problem.args || {}).forEach(function (name) {
      var value = problem.args[name];
      args[name] = name === "state" && refusals["state." + value] ? refusals["state." + value] : value;
    });
    return fill(text, args);
  }

  // A problem of the form as the reader reads it: its code's text in the
  // page's language (its arguments are texts), else the API's sentence.
  function errorText(error) {
    var text = error && error.code ? refusals[error.code] : null;
    if (!text) {
      return (error && error.detail) || "";
    }
    var args = {};
    Object.keys(error.args || {}).forEach(function (name) {
      var value = error.args[name];
      args[name] = typeof value === "string" ? value : "";
    });
    return fill(text, args);
  }

  // A refused login as the reader reads it: the text of its problem type
  // in the page's language (with the seconds to wait), else the generic
  // refusal; the API's French sentence is not shown.
  function loginRefusalText(response, answer) {
    var text = answer && answer.type ? refusals["login." + answer.type] : null;
    if (!text) {
      return data.msgLoginFailed;
    }
    return fill(text, { seconds: response.headers.get("Retry-After") || "" });
  }

  // Whether a 409 or 412 is another version of this evaluation (another
  // tab, a submission meanwhile): the page then shows both versions; any
  // other refusal (the session moved on, ...) is said as it is.
  function versionConflict(response, problem) {
    if (response.status !== 409 && response.status !== 412) {
      return false;
    }
    var code = problem && problem.code;
    return !code || code === "conflict.stale_version" || code === "denial.locked";
  }

  function isLoginProblem(response, problem) {
    return response.status === 401 || (response.status === 403 && problem && problem.type === "urn:grille:csrf");
  }

  // ------------------------------------------------------------ saving

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
      livePartial.textContent = result.grade && !result.complete
        ? fill(data.msgPartial, { answered: result.answered, total: result.total }) : "";
    }).catch(function () {
      // Offline: the totals come back with the connection.
    });
  }

  function retryLater() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { save(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  // Sends the form as it is now; resolves to true once the server holds
  // exactly this content.
  function save() {
    if (blocked) {
      return Promise.resolve(false);
    }
    if (inFlight) {
      return inFlight.then(function () { return dirty ? save() : !blocked; });
    }
    clearTimeout(saveTimer);
    clearTimeout(retryTimer);
    var content = collect();
    var sent = JSON.stringify(content);
    dirty = false;
    var h = headers(true);
    if (versionInput.value) {
      h["If-Match"] = "\"" + versionInput.value + "\"";
    }
    say(data.msgSaving);
    inFlight = fetch(api + "/evaluations/mine", {
      method: "PUT", headers: h, body: sent, credentials: "same-origin"
    }).then(function (response) {
      if (response.ok) {
        var etag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
        if (etag) {
          versionInput.value = etag;
        }
        retryDelay = 2000;
        var unchanged = JSON.stringify(collect()) === sent;
        // Confirmed only if nothing changed while the save was on its way.
        writeJournal(!unchanged, unchanged ? content : null);
        if (!unchanged) {
          dirty = true;
          saveTimer = setTimeout(save, 300);
        }
        // The page's language, not the browser's: 24-hour time on a French page.
        say(data.msgSaved + " " + new Date().toLocaleTimeString((document.documentElement.lang || "fr") + "-CH"), "");
        return true;
      }
      dirty = true;
      return problemOf(response).then(function (problem) {
        if (isLoginProblem(response, problem)) {
          askLogin(function () { save(); });
        } else if (versionConflict(response, problem)) {
          showConflict(content);
        } else if (response.status >= 500) {
          say(data.msgError, "error");
          retryLater();
        } else {
          say(refusalText(problem), "error");
        }
        return false;
      });
    }).catch(function () {
      dirty = true;
      say(data.msgOffline, "warning");
      retryLater();
      return false;
    }).then(function (ok) {
      inFlight = null;
      return ok;
    });
    return inFlight;
  }

  function changed() {
    dirty = true;
    writeJournal(true);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 800);
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, 250);
    if (blocked === "conflict") {
      say(data.msgConflict, "error");
    }
  }

  // ------------------------------------------------------------ login

  function askLogin(then) {
    afterLogin.push(then);
    if (blocked === "login") {
      return;
    }
    blocked = "login";
    say(data.msgExpired, "error");
    if (!loginDialog || !loginDialog.showModal) {
      return;
    }
    document.getElementById("login-dialog-error").textContent = "";
    document.getElementById("login-dialog-code-row").hidden = true;
    document.getElementById("login-dialog-password").value = "";
    loginDialog.showModal();
    document.getElementById("login-dialog-password").focus();
  }

  if (loginDialog) {
    document.getElementById("login-dialog-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var error = document.getElementById("login-dialog-error");
      var body = {
        username: data.username,
        password: document.getElementById("login-dialog-password").value
      };
      var code = document.getElementById("login-dialog-code").value.trim();
      if (code) {
        body.code = code;
      }
      error.textContent = "";
      fetch("/api/login", {
        method: "POST", headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(body), credentials: "same-origin"
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok) {
            csrfInput.value = answer.csrf_token;
            loginDialog.close();
            blocked = null;
            var waiting = afterLogin;
            afterLogin = [];
            waiting.forEach(function (then) { then(); });
            preview();
            return;
          }
          if (answer.type === "urn:grille:second-factor-required") {
            document.getElementById("login-dialog-code-row").hidden = false;
            document.getElementById("login-dialog-code").focus();
          }
          error.textContent = loginRefusalText(response, answer);
        });
      }).catch(function () {
        error.textContent = data.msgOffline;
      });
    });
    loginDialog.addEventListener("cancel", function (event) {
      // Without a login nothing can be sent: the dialog stays.
      event.preventDefault();
    });
  }

  // ------------------------------------------------------------ conflicts

  function levelText(answer) {
    if (!answer) {
      return data.msgUnanswered;
    }
    if (answer.not_assessable) {
      return data.msgNotAssessable;
    }
    if (answer.points === null || answer.points === undefined) {
      return data.msgUnanswered;
    }
    return fill(data.msgLevel, { points: answer.points });
  }

  function answerOf(content, id) {
    return (content.answers || []).filter(function (answer) { return answer.criterion === id; })[0] || null;
  }

  function cell(row, text, lang) {
    var td = document.createElement("td");
    td.textContent = text;
    if (lang) {
      td.lang = lang;
    }
    row.appendChild(td);
  }

  // Whether a content has any remark (overall or on a criterion): only
  // then does the language of its remarks say something.
  function remarked(content) {
    return !!content.remark || (content.answers || []).some(function (answer) { return !!answer.remark; });
  }

  // The language of a content's remarks as the form's choice names it
  // (in that language), with its code; a dash where it says nothing.
  function languageOf(content) {
    var code = remarked(content) ? content.remark_language : null;
    var select = document.getElementById("remark-language");
    var option = code && select ? select.querySelector("option[value='" + code + "']") : null;
    return option ? { text: option.textContent, lang: code } : { text: code || "—", lang: null };
  }

  // Shows my version (`mine`) beside the server's and waits for a choice.
  function showConflict(mine) {
    blocked = "conflict";
    say(data.msgConflict, "error");
    fetch(api + "/evaluations/mine", { headers: headers(false), credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      var etag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
      return response.json().then(function (theirs) {
        return { etag: etag || String(theirs.version), theirs: theirs };
      });
    }).then(function (found) {
      var theirs = found.theirs.content || found.theirs;
      var locked = found.theirs.status === "submitted";
      var body = document.getElementById("conflict-rows");
      body.textContent = "";
      // The language of the remarks is compared too: a second tab may
      // have changed only that.
      criteria().concat(["remark", "remark_language"]).forEach(function (id) {
        var mineText, theirText, mineLang = null, theirLang = null;
        if (id === "remark") {
          mineText = mine.remark || "—";
          theirText = theirs.remark || "—";
        } else if (id === "remark_language") {
          var mineLanguage = languageOf(mine);
          var theirLanguage = languageOf(theirs);
          mineText = mineLanguage.text;
          theirText = theirLanguage.text;
          mineLang = mineLanguage.lang;
          theirLang = theirLanguage.lang;
        } else {
          var a = answerOf(mine, id);
          var b = answerOf(theirs, id);
          mineText = levelText(a) + (a && a.remark ? " · " + a.remark : "");
          theirText = levelText(b) + (b && b.remark ? " · " + b.remark : "");
        }
        var row = document.createElement("tr");
        if (mineText !== theirText) {
          row.className = "differs";
        }
        var th = document.createElement("th");
        th.scope = "row";
        th.textContent = id === "remark" ? data.msgOverallRemark
          : id === "remark_language" ? data.msgRemarkLanguage : id;
        row.appendChild(th);
        cell(row, mineText, mineLang);
        cell(row, theirText, theirLang);
        body.appendChild(row);
      });
      document.getElementById("conflict-keep-mine").hidden = locked;
      document.getElementById("conflict-locked").hidden = !locked;
      conflictPanel.hidden = false;
      conflictPanel.scrollIntoView({ block: "start" });
      document.getElementById("conflict-keep-mine").onclick = function () {
        versionInput.value = found.etag;
        apply(mine);
        conflictPanel.hidden = true;
        blocked = null;
        writeJournal(true, mine);
        save();
      };
      document.getElementById("conflict-take-theirs").onclick = function () {
        versionInput.value = found.etag;
        apply(theirs);
        conflictPanel.hidden = true;
        blocked = null;
        dirty = false;
        writeJournal(false, theirs);
        preview();
        say(data.msgTookTheirs, "");
      };
    }).catch(function () {
      // Offline or logged out: the journal keeps mine; try again later.
      blocked = null;
      dirty = true;
      say(data.msgOffline, "warning");
      retryLater();
    });
  }

  // ------------------------------------------------------------ buttons

  // What a refused submission lacks, as the page without script lists it:
  // each problem linked to its criterion (the API's pointer
  // /answers/{index} counts the rubric's criteria in order).
  function showMissing(problem) {
    var fieldsets = form.querySelectorAll("fieldset.rubric-criterion");
    Array.prototype.forEach.call(fieldsets, function (fieldset) {
      fieldset.classList.remove("has-error");
    });
    var box = document.getElementById("missing-list");
    if (!box) {
      box = document.createElement("div");
      box.id = "missing-list";
      box.className = "notice error";
      box.setAttribute("role", "alert");
      box.tabIndex = -1;
      form.parentNode.insertBefore(box, form);
    }
    box.textContent = "";
    var heading = document.createElement("p");
    var strong = document.createElement("strong");
    var errors = problem.errors || [];
    strong.textContent = fill(data.msgMissingHeading, { count: errors.length || 1 });
    heading.appendChild(strong);
    box.appendChild(heading);
    var list = document.createElement("ul");
    (errors.length ? errors : [{ detail: refusalText(problem) }]).forEach(function (error) {
      var item = document.createElement("li");
      var match = /^\/answers\/(\d+)/.exec(error.pointer || "");
      var fieldset = match ? fieldsets[Number(match[1])] : null;
      if (fieldset) {
        fieldset.classList.add("has-error");
        var link = document.createElement("a");
        link.href = "#" + fieldset.id;
        link.textContent = fieldset.querySelector("legend").textContent.replace(/\s+/g, " ").trim();
        item.appendChild(link);
        // French sets a space before the colon, German and Italian none.
        var frenchPage = (document.documentElement.lang || "fr").slice(0, 2) === "fr";
        item.appendChild(document.createTextNode(frenchPage ? " : " : ": "));
      }
      item.appendChild(document.createTextNode(errorText(error)));
      list.appendChild(item);
    });
    box.appendChild(list);
    box.focus();
  }

  function submitNow() {
    say(data.msgSubmitting);
    save().then(function (ok) {
      if (!ok) {
        return;
      }
      var h = headers(false);
      h["If-Match"] = "\"" + versionInput.value + "\"";
      return fetch(api + "/evaluations/mine/submit", { method: "POST", headers: h, credentials: "same-origin" })
        .then(function (response) {
          if (response.ok) {
            writeJournal(false);
            window.location.assign(data.comparisonUrl + "?submitted=1");
            return;
          }
          return problemOf(response).then(function (problem) {
            if (isLoginProblem(response, problem)) {
              askLogin(submitNow);
            } else if (versionConflict(response, problem)) {
              showConflict(collect());
            } else if (response.status === 409) {
              say(refusalText(problem), "error");
            } else {
              say(refusalText(problem), "error");
              showMissing(problem);
            }
          });
        });
    }).catch(function () {
      say(data.msgSubmitOffline, "warning");
    });
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      changed();
    }
  });
  window.addEventListener("online", function () {
    if (dirty && !blocked) {
      retryDelay = 2000;
      save();
    }
  });
  window.addEventListener("beforeunload", function (event) {
    // The journal keeps it anyway; the warning tells the examiner it is
    // not on the server yet.
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var action = event.submitter ? event.submitter.value : "save";
    if (blocked === "conflict") {
      say(data.msgConflict, "error");
      return;
    }
    if (action === "submit") {
      if (submitDialog && submitDialog.showModal) {
        submitDialog.showModal();
      } else if (window.confirm(data.msgSubmitConfirm)) {
        submitNow();
      }
      return;
    }
    save();
  });
  if (submitDialog) {
    document.getElementById("submit-confirm").addEventListener("click", function () {
      submitDialog.close();
      submitNow();
    });
    document.getElementById("submit-cancel").addEventListener("click", function () {
      submitDialog.close();
    });
  }

  // ------------------------------------------------------------ on load

  // The journal against the page: the page may come from the service
  // worker's copy (older than what was saved since), or the server may
  // hold a newer version saved elsewhere.
  function newer(a, b) {
    var x = Number(a);
    var y = Number(b);
    return isNaN(x) || isNaN(y) ? String(a) === String(b) : x >= y;
  }
  var journal = readJournal();
  if (journal && journal.content && newer(journal.base, versionInput.value)) {
    versionInput.value = journal.base;
    apply(journal.content);
    preview();
    if (journal.dirty) {
      dirty = true;
      say(data.msgRestored, "warning");
      save().then(function (ok) {
        if (ok) {
          say(data.msgRestored + " " + data.msgSaved, "");
        }
      });
    }
  } else if (journal && journal.dirty && journal.content) {
    // Work made on an older version than the server's: both are shown.
    dirty = true;
    showConflict(journal.content);
  } else {
    writeJournal(false);
  }
})();

// The joint (agreed) evaluation on the comparison page and the arbiter's
// evaluation show their live grade as the examiner's own form does: the
// same preview of the engine, asked again 250 ms after each change. Each
// such form names its prefix (`data-live`: the ids of its fieldsets and of
// its live line) and its preview route (`data-preview`); it posts as before.
(function () {
  "use strict";
  if (!window.fetch || !window.JSON || !document.querySelectorAll) {
    return;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] !== undefined ? values[name] : all;
    });
  }

  function gradeText(grade) {
    var text = String(grade);
    return /^\d+$/.test(text) ? text + ".0" : text;
  }

  function watch(form) {
    var data = form.dataset;
    var prefix = data.live;
    var live = document.getElementById(prefix + "-live");
    var csrf = form.querySelector("input[name=csrf]");
    if (!live || !csrf || !data.preview) {
      return;
    }
    var timer = null;

    function part(name) {
      return document.getElementById(prefix + "-live-" + name);
    }

    function collect() {
      var fieldsets = form.querySelectorAll("fieldset.rubric-criterion");
      var answers = Array.prototype.map.call(fieldsets, function (fieldset) {
        var id = fieldset.id.slice(prefix.length + 1);
        var checked = fieldset.querySelector("input[type=radio]:checked");
        var na = checked && checked.value === "na";
        return { criterion: id, points: checked && !na ? checked.value : null, not_assessable: !!na, remark: null };
      });
      return { answers: answers, remark: null };
    }

    function preview() {
      fetch(data.preview, {
        method: "POST",
        headers: { "X-CSRF-Token": csrf.value, "Accept": "application/json", "Content-Type": "application/json" },
        body: JSON.stringify(collect()),
        credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (result) {
        if (!result) {
          return;
        }
        part("answered").textContent = fill(data.msgAnswered, { answered: result.answered, total: result.total });
        part("points").textContent = fill(data.msgPoints, { points: result.points, max: result.max_points });
        part("grade").textContent = result.grade ? gradeText(result.grade) : "—";
        part("label").textContent = result.complete ? data.msgFinal : data.msgProvisional;
        part("partial").textContent = result.grade && !result.complete
          ? fill(data.msgPartial, { answered: result.answered, total: result.total }) : "";
        live.hidden = false;
      }).catch(function () {
        // Offline: the grade comes back with the connection.
      });
    }

    form.addEventListener("change", function () {
      clearTimeout(timer);
      timer = setTimeout(preview, 250);
    });
    preview();
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-live]"), watch);
})();

// The free text of a form says the language chosen for it: each choice of
// language (the remarks', a justification's) sets the `lang` of the fields
// it is about where it is not the page's, as the server writes them, so
// that a screen reader reads what is typed in that language.
(function () {
  "use strict";
  var page = (document.documentElement.lang || "").split("-")[0];
  var choices = document.querySelectorAll("select[name=remark_language], select[name=justification_language]");
  Array.prototype.forEach.call(choices, function (select) {
    if (!select.form) {
      return;
    }
    var fields = select.name === "justification_language"
      ? select.form.querySelectorAll("textarea[name=justification]")
      : select.form.querySelectorAll("textarea:not([name=justification])");
    function mark() {
      Array.prototype.forEach.call(fields, function (field) {
        if (select.value && select.value !== page) {
          field.lang = select.value;
        } else {
          field.removeAttribute("lang");
        }
      });
    }
    select.addEventListener("change", mark);
    select.addEventListener("grille:language", mark);
  });
})();
